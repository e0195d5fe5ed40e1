"""Attribution patterns of wire and newspaper copy, each in a short text of its own, and speaker resolution
inside one article (pronouns, role descriptions, groups). Every sentence here is written for the test."""

from archive.ingest.extract import extract, extract_statements, headline_speaker


def drafts_of(body, **kwargs):
    return {d.text: d for d in extract(body, **kwargs).drafts}


def only(body, text, **kwargs):
    found = drafts_of(body, **kwargs)
    assert text in found, sorted(found)
    return found[text]


def test_attribution_after_the_quote_with_the_name_after_the_verb():
    body = "“Both teams will be back at the table by Thursday,” said Abdullah Abdullah."
    draft = only(body, "Both teams will be back at the table by Thursday")
    assert (draft.kind, draft.speaker.name) == ("direct", "Abdullah Abdullah")


def test_attribution_set_inside_a_reported_claim():
    body = (
        "Abdullah Abdullah met the envoy.\n\nStill, Abdullah said, the road to a settlement would be long and uneven."
    )
    draft = only(body, "the road to a settlement would be long and uneven")
    assert (draft.kind, draft.speaker.name) == ("indirect", "Abdullah Abdullah")


def test_quote_split_by_narration_is_two_fragments_with_no_narration_inside():
    body = "“We came here to listen,” Abdullah Abdullah said, “and we will not leave without an answer.”"
    found = drafts_of(body)
    assert set(found) == {"We came here to listen", "and we will not leave without an answer."}
    assert {d.speaker.name for d in found.values()} == {"Abdullah Abdullah"}
    assert all("said" not in text for text in found)


def test_name_comma_told_an_outlet():
    body = "“The committee will meet again after the holiday,” Mohammad Naeem, told Sputnik."
    draft = only(body, "The committee will meet again after the holiday")
    assert draft.speaker.name == "Mohammad Naeem"
    assert draft.medium == "interview"


def test_told_a_press_conference_in_a_place_that():
    body = "Mike Pompeo told a press conference in Doha, Qatar that the first round had gone better than expected."
    draft = only(body, "the first round had gone better than expected")
    assert (draft.kind, draft.speaker.name, draft.medium) == ("indirect", "Mike Pompeo", "briefing")


def test_according_to_a_name_with_its_apposition():
    body = (
        "According to Fawzia Koofi, a member of the government team, the two sides had swapped draft agendas on Sunday."
    )
    draft = only(body, "the two sides had swapped draft agendas on Sunday")
    assert draft.speaker.name == "Fawzia Koofi"


def test_wrote_on_twitter_is_a_tweet():
    body = "Zalmay Khalilzad wrote on Twitter that the prisoner lists had been exchanged overnight."
    draft = only(body, "the prisoner lists had been exchanged overnight")
    assert (draft.speaker.name, draft.medium) == ("Zalmay Khalilzad", "tweet")


def test_in_a_statement_x_said():
    body = "In a statement, the Taliban said their negotiators would stay in Qatar until the agenda was settled."
    draft = only(body, "their negotiators would stay in Qatar until the agenda was settled")
    assert (draft.speaker.name, draft.medium) == ("Taliban", "statement")


def test_said_there_was_a_term_because_a_quotation():
    body = (
        "Sediq Sediqqi said there was “no hesitation” on the government side because “the safety of our people "
        "comes first.”"
    )
    found = drafts_of(body)
    claim = found["there was “no hesitation” on the government side"]
    quote = found["the safety of our people comes first."]
    assert claim.kind == "indirect" and quote.kind == "partial"
    assert claim.speaker.name == quote.speaker.name == "Sediq Sediqqi"


def test_quote_left_open_at_a_paragraph_end_runs_into_the_next_one():
    body = (
        "Fawzia Koofi spoke after the session.\n\n"
        "“They listen to us politely and write everything down.\n\n"
        "“Yet nothing of it ever comes back as a proposal,” Koofi said."
    )
    draft = only(
        body,
        "They listen to us politely and write everything down.\n\n“Yet nothing of it ever comes back as a proposal",
    )
    assert draft.speaker.name == "Fawzia Koofi"


def test_he_added_continues_the_previous_speaker():
    body = (
        "“The violence must come down first,” Ned Price told reporters in Washington.\n\n"
        "“Without that, every other step is harder,” he added."
    )
    draft = only(body, "Without that, every other step is harder")
    assert draft.speaker.name == "Ned Price"


def test_headline_ending_in_a_speaker_names_the_lede_quotation():
    assert headline_speaker("Peace needs a lasting ceasefire first -Abdullah").name == "Abdullah"
    assert headline_speaker("Why the talks stall – Analysis") is None
    body = "“A ceasefire has to come before any talk of power-sharing.”\n\nThe council met on Monday."
    draft = only(body, "A ceasefire has to come before any talk of power-sharing.", title="Ceasefire first -Abdullah")
    assert draft.speaker.name == "Abdullah"
    assert extract(body).drafts == []


def test_partial_quotation_inside_reported_speech():
    body = "Andrew Watkins said the insurgents were bargaining “from a position of strength, not of need.”"
    draft = only(body, "from a position of strength, not of need.")
    assert (draft.kind, draft.speaker.name) == ("partial", "Andrew Watkins")


def test_one_utterance_in_reported_speech_is_one_statement():
    # Quoted words that carry the claim: the fragment is the statement, the clause is not stored again.
    body = "Fawzia Koofi said the negotiators had “run out of excuses for another delay” by the end of the week."
    found = drafts_of(body)
    assert list(found) == ["run out of excuses for another delay"]
    assert (
        found["run out of excuses for another delay"].kind,
        found["run out of excuses for another delay"].speaker.name,
    ) == (
        "partial",
        "Fawzia Koofi",
    )
    # A short quoted term: the reported clause is the statement, quote marks included, and no partial.
    body = "Fawzia Koofi said Kabul would “stand firm” on the question of the constitution."
    found = drafts_of(body)
    assert list(found) == ["Kabul would “stand firm” on the question of the constitution"]
    assert found["Kabul would “stand firm” on the question of the constitution"].kind == "indirect"


def test_but_that_with_a_quoted_term_carries_the_reported_claim_on():
    body = "Suhail Shaheen said the agenda was settled, but that “two items” were still open."
    found = drafts_of(body)
    claim = found["the agenda was settled, but that “two items” were still open"]
    assert (claim.kind, claim.speaker.name) == ("indirect", "Suhail Shaheen")
    assert "two items" not in found


def test_said_that_a_and_that_b_are_two_claims():
    body = "Javid Faisal said that 80 prisoners had been freed and that the others would follow this week."
    found = drafts_of(body)
    assert {"80 prisoners had been freed", "the others would follow this week"} <= set(found)


def test_role_description_resolves_to_the_person_named_with_that_role():
    body = (
        "Abdullah Abdullah, the chairman of the High Council for National Reconciliation, arrived in Doha.\n\n"
        "The head of the reconciliation council said the agenda had to include a ceasefire.\n\n"
        "The Taliban spokesman, Zabihullah Mujahid, spoke later.\n\n"
        "“Our team is ready for the next round,” the Taliban spokesman said."
    )
    assert only(body, "the agenda had to include a ceasefire").speaker.name == "Abdullah Abdullah"
    assert only(body, "Our team is ready for the next round").speaker.name == "Zabihullah Mujahid"


def test_envoy_named_by_title_run_is_the_us_envoy_later():
    body = (
        "US special representative Zalmay Khalilzad flew to Kabul.\n\n"
        "The U.S. envoy wrote in a series of tweets that “both sides have to show flexibility now.”\n\n"
        "“Time is not on anyone's side,” he added."
    )
    assert only(body, "both sides have to show flexibility now.").speaker.name == "Zalmay Khalilzad"
    assert only(body, "Time is not on anyone's side").speaker.name == "Zalmay Khalilzad"


def test_unresolved_description_keeps_the_statement_and_the_he_added_after_it():
    body = (
        "The U.S. envoy wrote that “the coming week will decide whether the talks survive.”\n\n"
        "“Nobody should waste it,” he added."
    )
    found = drafts_of(body)
    assert found["the coming week will decide whether the talks survive."].speaker.description == "The U.S. envoy"
    assert found["Nobody should waste it"].speaker.description == "The U.S. envoy"


def test_they_stands_for_the_group_named_before_not_the_last_person():
    body = (
        "Hamid Karzai told the BBC that elders should approve any deal.\n\n"
        "The Taliban rejected the idea. They said a jirga was not needed because the people had spoken."
    )
    draft = only(body, "a jirga was not needed because the people had spoken")
    assert draft.speaker.name == "Taliban"


def test_time_phrases_auxiliaries_and_capital_letters_are_not_speakers():
    body = (
        "On Sunday, the Taliban said that no date had been set for the next round.\n\n"
        "The Taliban have long insisted that every prisoner on their list be released first.\n\n"
        "Acting Defense Secretary Christopher Miller spoke at the Pentagon. "
        "“We will finish this responsibly,” Miller said."
    )
    found = drafts_of(body)
    assert found["no date had been set for the next round"].speaker.name == "Taliban"
    assert found["every prisoner on their list be released first"].speaker.name == "Taliban"
    assert found["We will finish this responsibly"].speaker.name == "Christopher Miller"


def test_name_after_a_title_run_is_the_name_and_the_title_its_role():
    body = "NATO Secretary General Jens Stoltenberg warned that leaving early “could cost us dearly.”"
    draft = only(body, "could cost us dearly.")
    assert (draft.speaker.name, draft.speaker.role) == ("Jens Stoltenberg", "NATO Secretary General")


def test_declined_to_say_whether_is_no_claim():
    body = "Ned Price declined to say whether the May deadline would hold."
    assert extract_statements(body) == []


def test_participle_saying_reports_for_the_sentence_subject():
    body = (
        "The Taliban on Monday turned down a call for an immediate truce, saying a ceasefire belonged on the "
        "agenda in Doha.\n\n"
        "Islamabad also dismissed reports of fighters crossing freely, saying the border was now fenced."
    )
    found = drafts_of(body)
    assert found["a ceasefire belonged on the agenda in Doha"].speaker.name == "Taliban"
    assert found["the border was now fenced"].speaker.name == "Islamabad"


def test_role_noun_after_capitals_is_a_description_not_a_name():
    body = "The U.S. peace envoy met Afghan leaders on Monday, warning that further delays would cost lives."
    draft = only(body, "further delays would cost lives")
    assert (draft.speaker.name, draft.speaker.description) == ("", "The U.S. peace envoy")


def test_he_after_a_reported_claim_is_its_speaker_not_an_earlier_one():
    body = (
        "Mike Pompeo spoke first and left early.\n\n"
        "Mullah Baradar, the movement's co-founder, told the audience the Taliban would keep their word. "
        "“We want good relations with every country,” he said."
    )
    assert only(body, "We want good relations with every country").speaker.name == "Baradar"


def test_plural_subjects_and_participial_clauses_before_the_verb():
    body = (
        "Analysts caution that the hardest questions have not been touched.\n\n"
        "One of them, speaking on condition of anonymity because he was not allowed to brief reporters, said "
        "the list had reached Doha."
    )
    found = drafts_of(body)
    assert found["the hardest questions have not been touched"].speaker.description == "Analysts"
    assert found["the list had reached Doha"].speaker.description == "One of them"


def test_passive_told_is_no_attribution_and_according_to_governs_a_quotation():
    body = (
        "According to Nader Nadery, a member of the government team, the Taliban had been told that violence "
        "“eats away at the trust the talks need.”"
    )
    draft = only(body, "eats away at the trust the talks need.")
    assert (draft.kind, draft.speaker.name) == ("partial", "Nader Nadery")
