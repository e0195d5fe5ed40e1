"""Statement extraction: quotation pairing, attribution, speakers, kinds, spans, scare quotes."""

from archive.ingest.extract import extract_statements, find_quotes, is_plural, speaker_from_phrase


def one(body, text):
    """The single draft whose text is `text`."""
    matches = [d for d in extract_statements(body) if d.text == text]
    assert len(matches) == 1, [d.text for d in extract_statements(body)]
    return matches[0]


def test_extract_curly_quote_speaker_after_with_title_and_role():
    body = (
        "Talks resumed in Doha on Monday.\n\n"
        "“We are ready to sign the agreement this month,” Taliban spokesman Suhail Shaheen told Al Jazeera."
    )
    draft = one(body, "We are ready to sign the agreement this month")
    assert draft.speaker.name == "Suhail Shaheen"
    assert draft.speaker.role == "Taliban spokesman"
    assert draft.kind == "direct"
    assert draft.medium == "interview"
    assert draft.said_to == "Al Jazeera"
    assert body[draft.start : draft.end] == draft.text


def test_extract_straight_quotes_and_inverted_attribution():
    body = 'The envoy spoke after the meeting.\n\n"The prisoners will be freed within ten days," said Mike Pompeo.'
    draft = one(body, "The prisoners will be freed within ten days")
    assert draft.speaker.name == "Mike Pompeo"
    assert draft.kind == "direct"


def test_extract_speaker_before_with_colon_keeps_terminal_full_stop():
    body = "Nader Nadery said: “The ceasefire must come first. Everything else can follow.”"
    draft = one(body, "The ceasefire must come first. Everything else can follow.")
    assert draft.speaker.name == "Nader Nadery"
    assert draft.kind == "direct"


def test_extract_pronoun_takes_the_person_named_before():
    body = (
        "Fatima Gailani, a member of the government team, met the Taliban delegation.\n\n"
        "“Women’s rights are not negotiable in these talks,” she said."
    )
    draft = one(body, "Women’s rights are not negotiable in these talks")
    assert draft.speaker.name == "Fatima Gailani"


def test_extract_surname_resolves_to_full_name_given_earlier():
    body = (
        "Zabihullah Mujahid said in a statement that the attacks had stopped.\n\n"
        "“We keep our promises to the people,” Mujahid wrote on Twitter."
    )
    draft = one(body, "We keep our promises to the people")
    assert draft.speaker.name == "Zabihullah Mujahid"
    assert draft.medium == "tweet"


def test_extract_quote_over_two_paragraphs_is_one_statement():
    body = (
        "“The first paragraph of the quotation ends here without a closing mark.\n\n"
        "“And the second one closes it,” the diplomat said."
    )
    drafts = extract_statements(body)
    assert len(drafts) == 1
    assert drafts[0].text == (
        "The first paragraph of the quotation ends here without a closing mark.\n\n“And the second one closes it"
    )
    assert drafts[0].speaker.description == "the diplomat"


def test_extract_scare_quotes_are_not_statements():
    body = "The two sides have made “significant progress” this week on the “Afghan Government” question."
    assert extract_statements(body) == []


def test_extract_short_quote_after_called_is_the_callers():
    body = "Ashraf Ghani spoke to parliament.\n\nHe described the deal as “a surrender” to the insurgents, and what he called the “imported peace” would fail."
    texts = {d.text: d for d in extract_statements(body)}
    assert "imported peace" in texts
    assert texts["imported peace"].speaker.name == "Ashraf Ghani"
    assert texts["imported peace"].kind == "partial"


def test_extract_partial_quote_inside_reported_sentence():
    body = "President Ashraf Ghani said the Taliban had “neither the intention nor the will to make peace.”"
    draft = one(body, "neither the intention nor the will to make peace.")
    assert draft.kind == "partial"
    assert (draft.speaker.name, draft.speaker.role) == ("Ashraf Ghani", "President")


def test_extract_indirect_said_that_without_final_full_stop():
    body = "A Western diplomat said that the delegations were still far apart on prisoners."
    draft = one(body, "the delegations were still far apart on prisoners")
    assert draft.kind == "indirect"
    assert draft.speaker.description == "A Western diplomat"
    assert draft.speaker.name == ""


def test_extract_according_to_and_trailing_attribution():
    body = (
        "According to Abdullah Abdullah, the talks will resume next week.\n\n"
        "The next round could take place in Oslo, he said."
    )
    texts = {d.text: d for d in extract_statements(body)}
    assert texts["the talks will resume next week"].speaker.name == "Abdullah Abdullah"
    assert texts["The next round could take place in Oslo"].speaker.name == "Abdullah Abdullah"


def test_extract_unclosed_quote_ends_where_the_narrator_speaks():
    body = (
        "Sediq Sediqqi wrote on Twitter: “We want to end the violence now; Meanwhile, Amnesty International "
        "has said in a statement that “reducing violence” is “meaningless”."
    )
    texts = {d.text: d for d in extract_statements(body)}
    assert texts["We want to end the violence now"].speaker.name == "Sediq Sediqqi"
    assert texts["reducing violence” is “meaningless"].speaker.name == "Amnesty International"
    assert texts["reducing violence” is “meaningless"].kind == "partial"


def test_extract_anonymous_description_is_taken_up_by_the_person():
    body = (
        "“Qatar will keep the office open,” said a person familiar with the mediation.\n\n"
        "“They know it,” the person said, “and they will use it against the government.”"
    )
    drafts = extract_statements(body)
    assert {d.speaker.description for d in drafts} == {"a person familiar with the mediation"}


def test_extract_two_quotes_split_by_an_attribution_are_two_statements():
    body = "“The talks are stalled,” Price said, adding that “the attacks must end before anything else can move.”"
    texts = [d.text for d in extract_statements(body)]
    assert texts == ["The talks are stalled", "the attacks must end before anything else can move."]


def test_extract_quote_with_nobody_to_attribute_it_to_is_dropped():
    body = "“A long quoted slogan that nobody in the article is said to have spoken.”"
    assert extract_statements(body) == []


def test_extract_spans_always_match_the_body():
    body = (
        "KABUL – “We will never accept a government imposed by force,” the minister told reporters.\n\n"
        "He added that the army would defend every city. Taliban leaders insist they want peace."
    )
    drafts = extract_statements(body)
    assert len(drafts) == 3
    for draft in drafts:
        assert body[draft.start : draft.end] == draft.text
    assert drafts[0].medium == "briefing" and drafts[0].said_to == "reporters"
    assert drafts[2].speaker.name == "Taliban"


def test_find_quotes_pairs_reversed_marks_and_joins_one_interrupted_quotation():
    body = (
        "“There is no agreement until we agree on everything, and this” everything “must include a ceasefire”, he said."
    )
    quotes = find_quotes(body)
    assert [body[q.start : q.end] for q in quotes] == [
        "There is no agreement until we agree on everything, and this",
        "must include a ceasefire",
    ]
    (draft,) = [d for d in extract_statements("Zalmay Khalilzad spoke.\n\n" + body)]
    assert (
        draft.text
        == "There is no agreement until we agree on everything, and this” everything “must include a ceasefire"
    )


def test_speaker_from_phrase_names_and_descriptions():
    assert speaker_from_phrase("Taliban spokesman Zabihullah Mujahid").name == "Zabihullah Mujahid"
    assert speaker_from_phrase("a person familiar with the talks in Doha").description == (
        "a person familiar with the talks in Doha"
    )
    assert speaker_from_phrase("the US-Taliban agreement") is None
    assert is_plural("officials close to the talks")
    assert not is_plural("a person familiar with the talks")


def test_extract_claim_before_a_trailing_attribution_skips_the_dateline():
    body = (
        "KABUL, Feb 29 (Reuters) - The Taliban will not agree to a ceasefire until foreign forces leave, "
        "a senior member of the group said on Saturday, hours before the signing."
    )
    draft = one(body, "The Taliban will not agree to a ceasefire until foreign forces leave")
    assert draft.kind == "indirect"
    assert draft.speaker.description == "a senior member of the group"


def test_extract_participle_after_a_quotation_reports_the_same_speaker():
    body = "“We have not closed the door,” Mohammad Naeem added, noting that the group is waiting for Kabul."
    draft = one(body, "the group is waiting for Kabul")
    assert draft.speaker.name == "Mohammad Naeem"


def test_extract_person_of_an_organisation_and_relative_clause_subjects():
    body = (
        '"This is the first hurdle, and there will be many more," said Andrew Watkins of the International Crisis '
        "Group.\n\nOne Afghan official, who spoke on condition of anonymity, said the delegation expected hard days."
    )
    texts = {d.text: d for d in extract_statements(body)}
    assert texts["This is the first hurdle, and there will be many more"].speaker.name == "Andrew Watkins"
    assert texts["the delegation expected hard days"].speaker.description == "One Afghan official"


def test_extract_interview_outlet_and_medium_phrase_in_subject():
    body = (
        "Naeem said in an interview with Ariana News that “the Islamic Emirate wants an inclusive government”.\n\n"
        "Presidential spokesman Sediq Sediqqi in a tweet said: “Peace is our priority.”"
    )
    texts = {d.text: d for d in extract_statements(body)}
    first = texts["the Islamic Emirate wants an inclusive government"]
    assert (first.medium, first.said_to) == ("interview", "Ariana News")
    second = texts["Peace is our priority."]
    assert second.speaker.name == "Sediq Sediqqi" and second.medium == "tweet"


def test_extract_title_of_office_before_a_name_is_not_an_organisation():
    body = (
        "U.S. Secretary of State Mike Pompeo attended the ceremony.\n\n"
        "“This agreement will mean nothing without action,” Pompeo said."
    )
    assert one(body, "This agreement will mean nothing without action").speaker.name == "Mike Pompeo"


def test_extract_description_governed_by_a_preposition_stays_a_description():
    body = "“The road to Kabul is open now,” said a spokesman for the Taliban."
    draft = one(body, "The road to Kabul is open now")
    assert draft.speaker.name == "" and draft.speaker.description == "a spokesman for the Taliban"


def test_extract_quote_attributed_with_according_to():
    body = "“The attacks will stop on Friday,” according to a statement from the Taliban."
    assert one(body, "The attacks will stop on Friday").speaker.name == "Taliban"


def test_extract_reads_guillemets_and_keeps_them_in_the_text():
    body = "«Nous sommes prêts à signer l'accord ce mois-ci», a déclaré le porte-parole.\n\n«We are ready to sign the agreement this month», Suhail Shaheen said."
    draft = one(body, "We are ready to sign the agreement this month")
    assert draft.speaker.name == "Suhail Shaheen"
    assert body[draft.start - 1] == "«"


def test_extracted_spans_never_start_or_end_with_punctuation_left_by_a_split():
    body = (
        "Andrew Watkins spoke after the talks.\n\n"
        "Mr Watkins said that, bleak as the outlook is today, it is important for US officials to keep the peace "
        "process alive.\n\n"
        "But Thomas Ruttig reiterates that, on this point, we should know that the agreement is not for "
        "Afghanistan."
    )
    drafts = extract_statements(body)
    assert drafts
    for draft in drafts:
        assert draft.text == draft.text.strip(" ,;:.–—-"), draft.text
        assert body[draft.start : draft.end] == draft.text
    texts = [d.text for d in drafts]
    assert any(t.startswith("bleak as the outlook is today") for t in texts), texts


def test_speaker_description_across_a_sentence_break_is_not_kept_as_a_label():
    body = (
        "Mr. Khalilzad recounted, turning to pose happily for a Marine behind him. him who said he wanted a "
        "picture for his mother."
    )
    for draft in extract_statements(body):
        assert "." not in draft.speaker.description and "him who" not in draft.speaker.description
        assert draft.speaker.name != "him who"
    draft = one(body, "he wanted a picture for his mother")
    assert draft.speaker.description == "a Marine"


def test_plausible_name_rejects_clause_fragments_and_keeps_particles():
    from archive.ingest.extract import plausible_name

    assert plausible_name("Mohamed bin Abdulrahman Al Thani")
    assert plausible_name("Abdul Ghani al-Baradar")
    assert plausible_name("Ludwig van Beethoven")
    assert plausible_name("Institute of War and Peace Studies")
    assert plausible_name("Mr. Khalilzad")
    assert not plausible_name("turning to pose happily for a Marine behind him. him who")
    assert not plausible_name("Khalilzad recounted")
    assert not plausible_name("Biden? Yes")
