"""The query language parser: a safe structure, and a message for whatever it could not use."""

from archive.search.query import MAX_QUERY_CHARS, MAX_TERMS, parse


def shape(query):
    return [[(t.kind, t.text, t.field, t.negated) for t in clause.terms] for clause in parse(query).clauses]


def test_parse_words_are_lowercased_terms():
    assert shape("Ceasefire Doha") == [[("word", "ceasefire", "", False)], [("word", "doha", "", False)]]


def test_parse_phrase():
    assert shape('"Prisoner Release" talks') == [
        [("phrase", "prisoner release", "", False)],
        [("word", "talks", "", False)],
    ]


def test_parse_hyphenated_word_is_a_phrase():
    assert shape("al-Qaeda") == [[("phrase", "al qaeda", "", False)]]


def test_parse_exclusion_of_word_phrase_and_filter():
    assert shape('-violence -"car bomb" -speaker:baradar') == [
        [("word", "violence", "", True)],
        [("phrase", "car bomb", "", True)],
        [("filter", "baradar", "speaker", True)],
    ]


def test_parse_not_keyword_excludes_the_next_term():
    assert shape("talks NOT violence") == [[("word", "talks", "", False)], [("word", "violence", "", True)]]


def test_parse_or_joins_neighbours():
    assert shape("ceasefire OR truce OR armistice doha") == [
        [("word", "ceasefire", "", False), ("word", "truce", "", False), ("word", "armistice", "", False)],
        [("word", "doha", "", False)],
    ]


def test_parse_lowercase_or_is_a_word():
    assert shape("war or peace") == [[("word", w, "", False)] for w in ("war", "or", "peace")]


def test_parse_field_filters_and_synonyms():
    assert shape('speaker:"Zalmay Khalilzad" side:taliban topic:ceasefire source:afp year:2020 type:statements') == [
        [("filter", "zalmay khalilzad", "speaker", False)],
        [("filter", "taliban", "affiliation", False)],
        [("filter", "ceasefire", "topic", False)],
        [("filter", "afp", "source", False)],
        [("filter", "2020", "year", False)],
        [("filter", "statements", "type", False)],
    ]


def test_parse_unknown_field_becomes_words_with_message():
    parsed = parse("colour:red talks")
    assert shape("colour:red talks") == [[("phrase", "colour red", "", False)], [("word", "talks", "", False)]]
    assert any("There is no field “colour:”" in m for m in parsed.messages)


def test_parse_unbalanced_quote():
    parsed = parse('"prisoner release')
    assert [[(t.kind, t.text) for t in c.terms] for c in parsed.clauses] == [
        [("word", "prisoner")],
        [("word", "release")],
    ]
    assert parsed.messages == ["A quotation mark had no closing partner, so it was ignored."]


def test_parse_lone_operators():
    for query in ("OR", "OR talks", "talks OR", "talks OR OR peace"):
        parsed = parse(query)
        assert any("“OR” needs a term on each side" in m for m in parsed.messages), query
    assert parse("-").clauses == [] and parse("-").messages
    assert parse("NOT").messages == ["“NOT” at the end of the query had nothing to exclude, so it was ignored."]


def test_parse_control_characters_are_dropped():
    parsed = parse("cease\x00fire\u202e\x1b")
    assert shape("cease\x00fire\u202e\x1b") == [[("word", "cease", "", False)], [("word", "fire", "", False)]]
    assert "Control characters in the query were ignored." in parsed.messages


def test_parse_long_query_is_cut():
    parsed = parse("a" * 10_000)
    assert len(parsed.clauses[0].terms[0].text) == MAX_QUERY_CHARS
    assert any("too long" in m for m in parsed.messages)


def test_parse_too_many_terms():
    parsed = parse(" ".join(f"w{n}" for n in range(MAX_TERMS + 10)))
    assert len(parsed.clauses) == MAX_TERMS
    assert any("too many terms" in m for m in parsed.messages)


def test_parse_backend_syntax_is_never_passed_through():
    parsed = parse("*:* AND title:(x OR y) [a TO b] {c} ^2 ~3 \\")
    for term in parsed.terms():
        assert all(ch.isalnum() or ch == " " for ch in term.text), term
    assert any("only letters and digits are searched" in m for m in parsed.messages)


def test_parse_excluded_term_inside_or_is_made_positive():
    parsed = parse("truce OR -ceasefire")
    assert [t.negated for t in parsed.clauses[0].terms] == [False, False]
    assert parsed.messages


def test_parse_display_round_trip():
    parsed = parse('ceasefire OR truce -"car bomb" speaker:baradar')
    assert parsed.display() == 'ceasefire OR truce -"car bomb" speaker:baradar'
    assert parse(parsed.display()).display() == parsed.display()


def test_parse_non_string_is_empty():
    assert parse(None).is_empty
