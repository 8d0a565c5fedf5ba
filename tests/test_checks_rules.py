"""The rule-based checks (encoding, punctuation, casing, numbers, truncation, mistranslation)
and the check runner (registry, switching checks on and off, waivers), on real sentences."""
import pytest

from _checks import check_sentences as check, flagged
from mtcheck.checks import ALL_CHECKS, pairs_from_sentences, run_checks, select_checks
from mtcheck.checks.numbers import extract_quantities
from mtcheck.errors import ConfigError

CODES = ["duplication", "omission", "addition", "untranslated", "wrong_language", "number_mismatch",
         "entity_mismatch", "mistranslation", "truncation", "punctuation", "casing", "encoding"]


def codes(pairs):
    return [f.code for p in pairs for f in p.flags]


def test_registry_has_exactly_the_design_codes():
    assert list(ALL_CHECKS) == CODES
    for code, cls in ALL_CHECKS.items():
        assert cls.code == code
        assert cls.__doc__ and "Misses" in cls.__doc__ and "Severity" in cls.__doc__


def test_unknown_check_names_are_a_config_error():
    with pytest.raises(ConfigError, match="spelling"):
        select_checks(["spelling"])
    with pytest.raises(ConfigError, match="grammar"):
        select_checks(None, ["grammar"])
    assert select_checks(None, ["casing"]) == [c for c in CODES if c != "casing"]
    assert select_checks(["encoding", "casing"]) == ["casing", "encoding"]


# -- encoding -------------------------------------------------------------------------------
def test_mojibake_is_flagged_with_its_repair():
    src = "The summer was hot."
    tgt = "L'Ã©tÃ© a Ã©tÃ© chaud."
    pairs = check(src, tgt, ["encoding"])
    (flag,) = pairs[0].flags
    assert flag.code == "encoding" and flag.severity == "major" and flag.side == "tgt"
    assert "été" in flag.message
    assert tgt[flag.span[0]:flag.span[1]].startswith("L'Ã©tÃ©")


def test_replacement_and_control_characters():
    pairs = check(["It is late.", "It is early."], ["Il est tr\ufffd\ufffds tard.", "Il est t\x07ôt."], ["encoding"])
    assert [f.severity for f in pairs[0].flags] == ["major"]
    assert pairs[0].tgt[pairs[0].flags[0].span[0]] == "\ufffd"
    assert [f.severity for f in pairs[1].flags] == ["minor"]


def test_a_control_character_that_the_repair_explains_is_reported_once():
    # "–" in CP1252 read as Latin-1 is U+0096: one defect, the garbled text's flag
    tgt = "Les pompiers\x96 qui assuraient un quart des passages\x96 ont reçu des consignes."
    (flag,) = check("The firemen - a quarter of the cases - have instructions.", tgt, ["encoding"])[0].flags
    assert flag.severity == "major" and "pompiers–" in flag.message
    # a control character the repair leaves is still its own flag
    flags = check("The summer was hot.", "L'Ã©tÃ© a Ã©tÃ© chaud\x07.", ["encoding"])[0].flags
    assert [f.severity for f in flags] == ["major", "minor"]


def test_clean_french_has_no_encoding_flag():
    pairs = check("He said: “no”… — fine.", "Il a dit : « non »… — d’accord, l’été, 10\u202f000 €.", ["encoding"])
    assert pairs[0].flags == []


# -- punctuation ----------------------------------------------------------------------------
def test_unclosed_guillemet_is_flagged_at_the_opening_mark():
    src = 'He welcomed "the talks this week in Vienna."'
    tgt = "Il se réjouissait « les pourparlers de cette semaine à Vienne."
    pairs = check(src, tgt, ["punctuation"])
    (flag,) = pairs[0].flags
    assert flag.code == "punctuation" and flag.severity == "minor"
    assert tgt[flag.span[0]:flag.span[1]] == "«"


def test_dashes_and_quotes_garbled_by_mojibake_are_no_unbalanced_quotes():
    # "–" read as CP1252 is "â€“", whose last character is “: the encoding check reports it
    src = '"This slow pace - although in line with the schedule - supports our view," said Mr Doerksen.'
    tgt = "Â«Â Cette lenteurÂ â€“ bien que conforme au calendrierÂ â€“ renforce notre opinionÂ Â», a dÃ©clarÃ© M. Doerksen."
    assert flagged(check(src, tgt, ["punctuation"])) == []
    assert flagged(check(src, tgt, ["encoding"]))


def test_letters_garbled_by_mojibake_are_no_quotes():
    # "û" read as CP1252 is "Ã»", "ë" is "Ã«", "œ" is "Å“": letters, not guillemets
    src = ["I'm sure his clothes helped.", "Israel struck twice.", "Beer, cheese and beef."]
    tgt = ["Je suis sÃ»r que ses vÃªtements l'ont aidÃ©.", "IsraÃ«l a frappÃ© deux fois.",
           "La biÃ¨re, le fromage et le bÅ“uf."]
    assert flagged(check(src, tgt, ["punctuation"])) == []
    # a guillemet garbled as "Â«" is still a guillemet, and one left open is flagged
    assert flagged(check("We say: of course.", "Nous disons Â«Â Bien sÃ»r que si.", ["punctuation"])) == ["«"]


def test_a_full_stop_and_comma_after_an_abbreviation_are_no_double():
    src = ["Apples, pears and so on, and bread.", "He left, really."]
    tgt = ["Des pommes, des poires, etc., et du pain.", "Il est parti., vraiment."]
    pairs = check(src, tgt, ["punctuation"])
    assert pairs[0].flags == []
    assert [pairs[1].tgt[f.span[0]:f.span[1]] for f in pairs[1].flags] == [".,"]


def test_a_quotation_over_several_sentences_is_balanced():
    src = ['He warned that "we cannot expect this.', "We hope for a way forward.", 'It is unrealistic."']
    tgt = ["Il a averti que « nous ne pouvons pas l'attendre.", "Nous espérons une voie.",
           "C'est irréaliste. »"]
    # one paragraph on each side
    pairs = pairs_from_sentences(src, tgt)
    from dataclasses import replace
    for p in pairs:
        p.src_segments = tuple(replace(s, para=0) for s in p.src_segments)
        p.tgt_segments = tuple(replace(s, para=0) for s in p.tgt_segments)
    assert not run_checks(pairs, src_lang="en", tgt_lang="fr", enabled=["punctuation"])
    assert codes(pairs) == []


def test_a_quotation_the_source_leaves_open_in_single_quotes_may_stay_open():
    # a quotation that runs on past the line: the source opens it with ' and the
    # translation with "; apostrophes and possessives are no quotes
    src = "' Well ! ' thought Alice, ' after such a fall as this, I shan 't mind the dogs' stairs !"
    tgt = '" Eh bien ! " pensa Alice, " après une chute pareille je ne me moquerai pas de l\'escalier !'
    assert flagged(check(src, tgt, ["punctuation"])) == []
    balanced = "' Well ! ' thought Alice, ' after such a fall as this, I shan 't mind the dogs' stairs ! '"
    assert flagged(check(balanced, tgt, ["punctuation"])) == ['"']


def test_unbalanced_in_the_source_too_is_not_flagged_and_doubles_are():
    pairs = check(["He said (maybe.", "Yes, really."], ["Il a dit (peut-être.", "Oui,, vraiment."], ["punctuation"])
    assert pairs[0].flags == []
    (flag,) = pairs[1].flags
    assert pairs[1].tgt[flag.span[0]:flag.span[1]] == ",,"


# -- casing ---------------------------------------------------------------------------------
def test_lower_case_start_and_lower_case_after_a_full_stop():
    pairs = check(["He added.", '"It can be done," he added.'],
                  ["il a ajouté.", "« C'est possible », a-t-il ajouté. il a dit."], ["casing"])
    assert [f.code for f in pairs[0].flags] == ["casing"]
    (flag,) = pairs[1].flags
    assert pairs[1].tgt[flag.span[0]:flag.span[1]] == "il"


def test_an_exclamation_or_a_question_inside_a_sentence_goes_on_in_lower_case():
    pairs = check(["Oh, how I wish I could shut up like a telescope!", "'A knot!' said Alice. 'Oh, do let me help!'"],
                  ["Oh ! que je voudrais donc me fermer comme un télescope !",
                   "« Des vers à citer ? oh ! je puis vous en fournir ! » dit Alice."], ["casing"])
    assert flagged(pairs) == []


def test_a_sentence_led_by_a_number_may_go_on_in_lower_case_but_a_list_item_may_not():
    pairs = check(["An extra 2,600 operations will help clear the backlog.", "1. The plan was approved."],
                  ["2 600 opérations supplémentaires aideront à rattraper le retard.", "1. le plan a été approuvé."],
                  ["casing"])
    assert pairs[0].flags == []
    assert flagged([pairs[1]]) == ["le"]


def test_a_sentence_in_another_language_is_not_read_for_its_case():
    # a Romanian line spliced in: wrong_language reports it, its first letter says nothing more
    src = ["The measures needed to erase the memory are far from being met.",
           "In the mind of its founder, the party does not only target suburban residents."]
    tgt = ["intensitatea, durata și distanța de la sursa emițătoare nu sunt nici pe departe cele necesare.",
           "dans l'esprit de son fondateur, le parti ne vise pas seulement les habitants des banlieues."]
    pairs = check(src, tgt, ["casing"])
    assert pairs[0].flags == [] and flagged([pairs[1]]) == ["dans"]


def test_abbreviations_brands_and_shouting():
    pairs = check(["Prices rose, etc. and so on.", "The iPhone sold well.", "They said it was over."],
                  ["Les prix ont augmenté, etc. et ainsi de suite.", "iPhone s'est bien vendu.",
                   "ILS ONT DIT QUE C'ÉTAIT TERMINÉ."], ["casing"])
    assert pairs[0].flags == [] and pairs[1].flags == []
    (flag,) = pairs[2].flags
    assert flag.severity == "minor" and "capitals" in flag.message


def test_a_doubled_idiom_is_not_a_stutter():
    pairs = check(["Our food choices weigh more and more in terms of ecosystem degradation.",
                   "The plan was dropped little by little."],
                  ["Nos choix alimentaires pèsent de plus en plus en terme de dégradation des écosystèmes.",
                   "Le plan a été abandonné peu à peu à la demande des élus."], ["duplication"])
    assert flagged(pairs) == []
    pairs = check("They said it was over.", "Ils ont dit que que c'était fini fini.", ["duplication"])
    assert len(pairs[0].flags) == 2
    # the same shape around other words is a stutter, also right after a doubled "nous nous"
    pairs = check(["Of course, but with emphasis on his fondness for byroads.", "Yet America strives to collate data."],
                  ["Sans doute, mais en mais en soulignant son faible pour les chemins de traverse.",
                   "Mais nous nous efforçons nous efforçons de rassembler des informations."], ["duplication"])
    assert flagged(pairs) == ["mais en", "nous efforçons"]


# -- numbers --------------------------------------------------------------------------------
def test_a_changed_number_and_a_changed_month_are_flagged():
    pairs = check(["The talks are on January 12 at 1 pm.", "Inflation reached 4.5%."],
                  ["Les pourparlers ont lieu le 13 janvier à 13 h.", "L'inflation a atteint 5,4 %."],
                  ["number_mismatch"])
    (flag,) = pairs[0].flags
    assert flag.severity == "major" and pairs[0].tgt[flag.span[0]:flag.span[1]] == "13"
    assert [f.severity for f in pairs[1].flags] == ["major"]
    pairs = check("It happened in March 2014.", "C'est arrivé en mai 2014.", ["number_mismatch"])
    assert [f.code for f in pairs[0].flags] == ["number_mismatch"]


def test_a_time_put_in_the_other_half_of_the_day_is_flagged():
    src = ["We could have a result at 6.30 that night.", "The show starts at 7 in the evening.",
           "They met at 1 pm.", "It happened at 11 last night."]
    wrong = ["Nous pourrions avoir un résultat à 6h30 le lendemain matin.", "Le spectacle commence à 7 heures.",
             "Ils se sont vus à 1 h.", "C'est arrivé hier matin à 11 heures."]
    pairs = check(src, wrong, ["number_mismatch"])
    assert flagged(pairs) == ["6h30 le lendemain matin", "7 heures", "1 h", "11 heures"]
    assert pairs[0].flags[0].severity == "major" and '"6.30 that night"' in pairs[0].flags[0].message
    # the same hour said the 24-hour way, or with its half of the day after or before it, is right
    right = ["Nous pourrions avoir un résultat à 18h30 ce soir-là.", "Le spectacle commence à 7 heures du soir.",
             "Ils se sont vus à 13 h.", "C'est arrivé hier soir à 11 heures."]
    assert flagged(check(src, right, ["number_mismatch"])) == []
    # a decimal before "this morning" that no "at" leads is no clock time
    assert flagged(check("Shares rose 2.50 this morning.", "L'action a gagné 2,50 ce matin.", ["number_mismatch"])) == []


def test_a_number_copied_as_written_is_no_added_number():
    # an English tail left untranslated keeps "15,042", which French conventions read as
    # 15.042: the same digits written the same way are a copy (untranslated reports the tail)
    src = "The worst hit are the Laurentides and Outaouais, with 15,042 and 13,464 customers in the dark."
    tgt = "Les plus touchés sont les Laurentides avec 15 042 abonnés Outaouais, with 15,042 and 13,464 customers in the dark."
    assert flagged(check(src, tgt, ["number_mismatch"])) == []
    # a number changed in the French part is still found
    tgt = "Les plus touchés sont les Laurentides avec 16 042 abonnés Outaouais, with 15,042 and 13,464 customers in the dark."
    assert flagged(check(src, tgt, ["number_mismatch"])) == ["16 042"]


def test_a_number_only_missing_is_minor():
    pairs = check("The 28 member states agreed.", "Les États membres sont d'accord.", ["number_mismatch"])
    assert [(f.severity, f.side) for f in pairs[0].flags] == [("minor", "src")]


def test_a_time_or_count_written_for_a_word_is_not_flagged_but_an_added_amount_is():
    pairs = check(["You appeared on the evening news.",
                   "It can be transmitted during the fortnight before the first symptoms.",
                   "The company paid compensation to the families."],
                  ["Vous étiez sur le plateau du 20h.",
                   "Elle est transmissible pendant près de 15 jours avant les premiers symptômes.",
                   "L'entreprise a versé 45 millions d'euros aux familles."],
                  ["number_mismatch"])
    assert [p.flags for p in pairs[:2]] == [[], []]
    assert [(f.severity, f.evidence) for f in pairs[2].flags] == [("minor", "45 millions")]


def test_a_month_lost_from_a_date_is_flagged():
    pairs = check(["--The Sacramento Bee, May 21, 2003", "It opens on May 21.", "It opened in May."],
                  ["--Le Sacramento Bee, peut 21, 2003", "Il ouvre le 21 mai.", "Il a ouvert au printemps."],
                  ["number_mismatch"])
    assert [(f.severity, f.side, f.evidence) for f in pairs[0].flags] == [("minor", "src", "May")]
    assert pairs[1].flags == [] and pairs[2].flags == []
    # a month left in English is no month lost (the untranslated words are another check's)
    pairs = check("He was seen at Braintree on 27 May.", "Il a été vu at Braintree on 27 May.", ["number_mismatch"])
    assert pairs[0].flags == []


def test_a_written_out_one_is_no_match_for_a_day_but_is_for_a_count():
    pairs = check(["The President will receive the Prime Minister on 1 November 2013.",
                   "His fixed salary is a nominal $1.", "It takes 1 hour to produce 1 kWh of electricity."],
                  ["Le président recevra vendredi 3er novembre 2013 le premier ministre.",
                   "Son salaire fixe n'est que d'un dollar symbolique.",
                   "Il faut une heure pour produire un kWh d'électricité."], ["number_mismatch"])
    assert [(f.severity, f.evidence) for f in pairs[0].flags] == [("major", "3")]
    assert pairs[1].flags == [] and pairs[2].flags == []


def test_written_out_ordinals_and_decades():
    src = ["The 21st Conference of the Parties was held in Paris.", "It ended in the 19th century.",
           "It was prescribed in the early 1960s.", "It was popular in the 1990s."]
    tgt = ["La vingt et unième conférence des parties s'est tenue à Paris.", "Cela a pris fin au dix-neuvième siècle.",
           "Il était prescrit au début des années soixante.", "Il était populaire dans les années quatre-vingt-dix."]
    assert flagged(check(src, tgt, ["number_mismatch"])) == []
    # another ordinal or another decade still leaves the source's number unmatched
    tgt = ["La vingt-deuxième conférence des parties s'est tenue à Paris.", "Cela a pris fin au dix-huitième siècle.",
           "Il était prescrit au début des années cinquante.", "Il était populaire dans les années quatre-vingt."]
    assert flagged(check(src, tgt, ["number_mismatch"])) == ["21", "19", "1960", "1990"]
    # a number leading a compound adjective still counts alone ("six-month")
    assert flagged(check("A six-month delay.", "Un retard de 6 mois.", ["number_mismatch"])) == []


def test_decimals_written_in_words():
    src = ["It was traveling at a speed of 13.43 knots.", "It was then drawing 6.7 meters of water.",
           "It reached an average speed of 18.3 miles per hour.", "The rate is 2.5 percent."]
    tgt = ["Il marchait avec une vitesse de treize noeuds quarante-trois centièmes.",
           "Son tirant d'eau était alors de six mètres soixante-dix centimètres.",
           "Il atteignait une vitesse moyenne de dix-huit milles et trois dixièmes à l'heure.",
           "Le taux est de deux virgule cinq pour cent."]
    assert flagged(check(src, tgt, ["number_mismatch"])) == []
    # other decimals leave the source's unmatched
    tgt = ["Il marchait avec une vitesse de treize noeuds trente-quatre centièmes.",
           "Son tirant d'eau était alors de six mètres soixante centimètres.",
           "Il atteignait une vitesse moyenne de dix-huit milles et cinq dixièmes à l'heure.",
           "Le taux est de deux virgule six pour cent."]
    assert flagged(check(src, tgt, ["number_mismatch"])) == ["13.43", "6.7", "18.3", "2.5"]


def test_clock_times_written_in_french_words():
    src = ["But at 12:53 in the morning, a hiss became audible.", "They met at 8:45.", "They met at 10.30am.",
           "They met at 12 noon."]
    tgt = ["Mais à une heure moins sept minutes du matin, un sifflement se fit entendre.",
           "Ils se sont vus à neuf heures moins le quart.", "Ils se sont vus à dix heures trente du matin.",
           "Ils se sont vus à midi."]
    assert flagged(check(src, tgt, ["number_mismatch"])) == []
    # another time leaves the source's unmatched
    tgt = ["Mais à une heure moins cinq minutes du matin, un sifflement se fit entendre.",
           "Ils se sont vus à neuf heures et quart.", "Ils se sont vus à dix heures trente du soir.",
           "Ils se sont vus à une heure de l'après-midi."]
    assert flagged(check(src, tgt, ["number_mismatch"])) == ["12:53 in the morning", "8:45", "10.30am.", "12"]
    # "de l'après-midi" says the half of the day (and holds no "midi")
    assert flagged(check("They met at 1 am.", "Ils se sont vus à 1 heure de l'après-midi.", ["number_mismatch"])) \
        == ["1 heure de l'après-midi"]
    assert flagged(check("They met at 1 pm.", "Ils se sont vus à 1 heure de l'après-midi.", ["number_mismatch"])) == []


def test_the_numbers_of_a_repeated_line_answer_the_source():
    # the aligner gave the source sentence the repeated copy of its translation
    src = ["October: Bloodiest Month in Iraq Since 2008", "October was the bloodiest month in Iraq since April 2008"]
    tgt = ["Irak: octobre a été le mois le plus sanglant depuis 2008"] * 2
    assert check(src, tgt, ["number_mismatch"])[1].flags == []
    # ... or put the earlier copy with the sentence before, and the later one where it belongs
    src = ["His girlfriend Becky Hall, 20, was at the quarry.",
           "At around 2.15pm on Wednesday, a dog walker spotted Ruby on the ledge, stranded 50ft up."]
    copy = "Vers 14h15 mercredi, un promeneur a repéré Ruby sur la corniche, coincée à 15 m au-dessus du sol."
    tgt = ["Sa petite amie Becky Hall, 20 ans, était à la carrière.", copy, copy]
    pairs = check(src, tgt, ["number_mismatch"], links=[((0,), (0, 1)), ((1,), (2,))])
    assert [p.flags for p in pairs] == [[], []]
    # the sentence's own numbers still answer the source
    tgt[0] = tgt[0].replace("20 ans", "22 ans")
    pairs = check(src, tgt, ["number_mismatch"], links=[((0,), (0, 1)), ((1,), (2,))])
    assert flagged(pairs) == ["22"]


def test_a_stutter_is_read_once_and_the_number_keeps_its_unit():
    src = "Nearly 35 million pounds of it are sold around Halloween."
    pairs = check(src, "Près de 16 millions millions de kg sont vendus pour Halloween.", ["number_mismatch"])
    assert pairs[0].flags == []
    # a changed amount is still found, with its span in the text as written
    pairs = check(src, "Près de 19 millions millions de kg sont vendus pour Halloween.", ["number_mismatch"])
    assert flagged(pairs) == ["19 millions"]


def test_a_converted_amount_keeps_its_unit_under_mojibake():
    # "mÃ¨tres cubes" are the cubic metres the conversion needs: the garbled letters are
    # encoding's to report, not a reason to call the amount added
    src = "The pipeline is designed for an annual capacity of 2.2 trillion cubic feet of natural gas."
    tgt = "Le gazoduc a Ã©tÃ© conÃ§u pour une capacitÃ© annuelle de 63 milliards de mÃ¨tres cubes de gaz naturel."
    assert check(src, tgt, ["number_mismatch"])[0].flags == []
    pairs = check(src, tgt.replace("63", "83"), ["number_mismatch"])
    assert flagged(pairs) == ["83 milliards"]


def test_quantities_parse_values():
    values = [q.value for q in extract_quantities("10 000 soldats, 2,5 %, 13h30, 1 500,75 €", "fr")]
    assert values == [10000, 2.5, 13.30, 1500.75]
    values = [q.value for q in extract_quantities("10,000 troops, 2.5%, 1 pm, $5bn", "en")]
    assert values == [10000, 2.5, 13, 5e9]


# -- truncation -----------------------------------------------------------------------------
def test_a_translation_cut_part_way_is_truncated():
    src = ["The proposals focus on the movement of military personnel and equipment across the border.",
           "Relations between NATO and Russia have grown increasingly tense in recent months."]
    tgt = ["Les propositions se concentrent sur le mouvement du personnel",
           "Les relations entre l'OTAN et la Russie se sont de plus en plus tendues ces derniers mois."]
    pairs = check(src, tgt, ["truncation"])
    (flag,) = pairs[0].flags
    assert flag.code == "truncation" and flag.severity == "major"
    assert pairs[1].flags == []


def test_a_sentence_ending_on_an_auxiliary_or_a_modal_is_truncated():
    # "pourrait" waits for its verb: cut, though the sentence keeps its usual length
    src = ["The minister said he could not say when it would happen.", "He said it was over."]
    tgt = ["Le ministre a dit qu'il ne pouvait pas dire quand cela pourrait", "Il a dit que c'était fini."]
    pairs = check(src, tgt, ["truncation"])
    assert flagged(pairs) == ["pourrait"]
    assert 'ends on "pourrait"' in pairs[0].flags[0].message


def test_a_sentence_in_another_language_is_not_cut_for_its_last_word():
    # Romanian ending on "de" is no French sentence cut on "de": wrong_language reports it
    src = ["How do you react today to the liberation of the four hostages in Niger?", "He said it was over."]
    tgt = ["Dobridorul nu este o excepție în ceea ce privește depozitele de", "Il a dit que c'était fini."]
    assert check(src, tgt, ["truncation"])[0].flags == []
    tgt[0] = "Comment réagissez-vous aujourd'hui à la libération des quatre otages de"
    assert flagged(check(src, tgt, ["truncation"])) == ["de"]


def test_a_sentence_cut_on_des_and_run_on_by_the_next_is_truncated():
    # the cut sentence's source gets no translation; the next pair holds both target sentences
    src = ["The ultimate goal is still to offer tools that our customers do not currently have.",
           "The telecommunications giant Rogers has already indicated that it might offer Netflix."]
    tgt = ["Le but ultime demeure d'offrir des",
           "Le géant des télécommunications Rogers a déjà indiqué qu'il pourrait offrir Netflix."]
    pairs = check(src, tgt, ["truncation"], links=[((0,), ()), ((1,), (0, 1))])
    assert flagged(pairs) == ["des"]
    assert "the next one runs on from it" in pairs[1].flags[0].message


def test_a_cut_sentence_is_weighed_against_its_own_source_sentence():
    # two sentences in one link: the long translation of the first hides the cut second
    # one in the length of the pair, not in its own
    src = ["Prof Crystal said that if a future human vaccine was completely safe it could be given to children "
           "before they were tempted to try a cigarette, preventing nicotine addiction.",
           "But more likely it would be used by smokers to quit."]
    tgt = ["Le Professeur Crystal a déclaré que si le futur vaccin à usage humain était complètement sûr, on "
           "pourrait l'administrer aux enfants avant qu'ils soient tentés d'essayer une cigarette, ce qui "
           "empêcherait toute addiction à la nicotine.",
           "Mais il est plus probable qu'il soit utilisé par"]
    pairs = check(src, tgt, ["truncation"], links=[((0, 1), (0, 1))])
    (flag,) = pairs[0].flags
    assert flagged(pairs) == ["par"] and flag.severity == "major"
    # the message quotes the source's last words from the start of a word
    assert '("…more likely it would be used by smokers to quit.")' in flag.message


def test_titles_without_full_stop_are_not_truncated():
    pairs = check("Agreement can be found with Russia, says the NATO chief",
                  "Un accord peut être trouvé avec la Russie, selon le chef de l'OTAN", ["truncation"])
    assert pairs[0].flags == []


def test_a_sentence_cut_to_three_words_is_truncated_but_a_short_title_is_not():
    pairs = check("I just can't believe where she was.", "Je n'arrive pas", ["truncation"])
    assert [f.severity for f in pairs[0].flags] == ["major"]
    # a title of the same length, whose source has no full stop either, and speech broken off
    # on purpose
    pairs = check(["Fire crews rescue a lost puppy from a quarry ledge",
                   "' Treacle, ' said the Dormouse, without considering at all this time."],
                  ["Un chiot sauvé", "\" C'est tout simple — \""], ["truncation"])
    assert [p.flags for p in pairs] == [[], []]


# -- mistranslation -------------------------------------------------------------------------
def test_mistranslation_reads_the_quality_and_similarity_scores():
    pairs = pairs_from_sentences(["The cat sleeps on the mat all day."] * 3,
                                 ["Le chat dort sur le tapis toute la journée."] * 3)
    pairs[0].scores = {"quality": 0.9, "similarity": 0.85}
    pairs[1].scores = {"quality": 0.03, "similarity": 0.6}
    pairs[2].scores = {"quality": 0.005, "similarity": 0.05}
    assert not run_checks(pairs, src_lang="en", tgt_lang="fr", enabled=["mistranslation"])
    assert [[f.severity for f in p.flags] for p in pairs] == [[], ["major"], ["critical"]]
    assert pairs[1].flags[0].side == "pair" and pairs[1].flags[0].span is None


# -- the runner -----------------------------------------------------------------------------
def test_waivers_drop_one_flag_by_signature_and_flags_are_sorted():
    src = ["It is late, he said (really.", "It is late."]
    tgt = ["il est tard,, a-t-il dit (vraiment.", "Il est tard."]
    pairs = check(src, tgt, ["punctuation", "casing"])
    flags = pairs[0].flags
    assert len(flags) >= 2
    assert [f.span for f in flags] == sorted(f.span for f in flags)
    waived = flags[0].signature(pairs[0])
    again = check(src, tgt, ["punctuation", "casing"], waivers=[waived])
    assert len(again[0].flags) == len(flags) - 1
    assert waived not in [f.signature(again[0]) for f in again[0].flags]


def test_disabled_checks_do_not_run():
    pairs = check("It is late.", "il est tr\ufffds tard.", disabled=["casing"])
    assert "casing" not in codes(pairs) and "encoding" in codes(pairs)


def test_a_failing_check_yields_no_flag_and_does_not_stop_the_others(monkeypatch, caplog):
    class Broken:
        code = "casing"

        def run(self, pair, context):
            raise RuntimeError("boom")

    monkeypatch.setitem(ALL_CHECKS, "casing", Broken)
    pairs = pairs_from_sentences(["It is late.", "It is early."], ["il est tr\ufffds tard.", "il est tôt."])
    with caplog.at_level("WARNING", logger="mtcheck.checks"):
        failed = run_checks(pairs, src_lang="en", tgt_lang="fr", enabled=["casing", "encoding"])
    assert codes(pairs) == ["encoding"]
    # its silence is reported, not taken for "nothing found"
    assert failed == {"casing": 2}
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "casing failed on 2 of 2 pairs" in warnings[0] and "RuntimeError: boom" in warnings[0]


def test_a_failing_check_shows_in_the_report(monkeypatch):
    import json

    import mtcheck
    from mtcheck.render import render

    class Broken:
        code = "casing"

        def run(self, pair, context):
            raise RuntimeError("boom")

    monkeypatch.setitem(ALL_CHECKS, "casing", Broken)
    report = mtcheck.check("It is late. It is early.", "Il est tard. Il est tôt.", src_lang="en", tgt_lang="fr")
    assert report.check_errors == {"casing": 2}
    assert json.loads(report.to_json())["document"]["check_errors"] == {"casing": 2}
    said = "check casing failed on 2 pairs"
    assert said in render(report, "table", color=False)
    assert said in render(report, "html") and said in report._repr_html_()


def test_odd_input_never_raises():
    odd = ["", " ", "\x00", "*" * 50, "12", "«", "»»»", "((((", "🙂" * 10, "a" * 5000]
    pairs = pairs_from_sentences(odd, list(reversed(odd)))
    assert not run_checks(pairs, src_lang="en", tgt_lang="fr", encoder=None)
    for p in pairs:
        for f in p.flags:
            if f.span is not None:
                text = p.src if f.side == "src" else p.tgt
                assert 0 <= f.span[0] <= f.span[1] <= len(text)


def test_a_quotation_reopened_at_each_paragraph_and_german_quotes_are_balanced():
    src = ['Mr Brown said: "High speed rail has the potential to bring benefits.', 'So we are excited."',
           "The Court believed in the „spirit of the corps” rule."]
    tgt = ["M. Brown a déclaré : « Le train à grande vitesse peut apporter des avantages.",
           "« Nous sommes donc ravis. »", "Curtea credea în legile „spiritului de trupă”."]
    pairs = check(src, tgt, ["punctuation"])
    assert codes(pairs) == []


def test_a_stray_open_quote_is_no_quotation_running_on_where_the_source_quotes_nothing():
    # the next paragraph opens a quotation of its own: its « is no reopening of this one
    src = ["He said European leaders need to be honest with their own people.",
           '"We have done the same for years," he added.']
    tgt = ["Il a expliqué que les chefs d'État « européens devaient être honnêtes avec leurs citoyens.",
           "« Nous faisons de même depuis des années », a-t-il ajouté."]
    pairs = check(src, tgt, ["punctuation"])
    assert [(f.code, p.tgt[f.span[0]:f.span[1]]) for p in pairs for f in p.flags] == [("punctuation", "«")]
    assert pairs[0].flags and not pairs[1].flags


def test_a_quotation_runs_on_from_a_line_inside_the_source_quotation():
    # the source line quotes nothing itself, but the line before left its quotation open
    src = ["' Ah! that accounts for it, ' said the Hatter. '", "He won't stand beating.",
           "Now, if you only kept on good terms with him, he'd do anything you liked. '"]
    tgt = ['" Ah ! voilà donc pourquoi !', 'Il n\'aime pas cela, " dit le Chapelier.',
           '" Mais si seulement vous saviez le ménager, il ferait tout ce que vous voudriez. "']
    assert codes(check(src, tgt, ["punctuation"])) == []


def test_a_quote_the_source_leaves_open_excuses_one_going_the_same_way_only():
    # the source closes a quotation opened in an earlier paragraph: that excuses a closing
    # mark, not a « opened in the middle of the translation
    src = ['"There have always been rats in towns.', 'We really need this."']
    tgt = ["« Il y a toujours eu des rats dans les villes.", "On a « vraiment besoin de ça."]
    pairs = check(src, tgt, ["punctuation"])
    assert [bool(p.flags) for p in pairs] == [False, True]


def test_a_quotation_is_reopened_with_the_mark_that_opened_it():
    # a paragraph opening with " after a stray « starts a quotation of its own
    src = ['The attack that took place in "Beijing" was organised, he said.',
           '"The group hiding behind the scenes was the movement," he added.']
    tgt = ['L\'attaque qui est « survenue à "Pékin" a été organisée, a-t-il dit.',
           '"Le groupe qui se tenait en coulisses était le mouvement", a-t-il ajouté.']
    pairs = check(src, tgt, ["punctuation"])
    assert [[p.tgt[f.span[0]:f.span[1]] for f in p.flags] for p in pairs] == [["«"], []]


def test_clauses_end_at_a_full_stop_after_a_number_but_not_inside_one():
    from mtcheck.checks.text import clauses

    text = "Le prix a augmenté de 2.5 % en 2011, puis 10,000 ventes d'ici 2025. Il a dit. M. Edis a parlé."
    assert [c.text for c in clauses(text)] == [
        "Le prix a augmenté de 2.5 % en 2011", "puis 10,000 ventes d'ici 2025", "Il a dit", "M. Edis a parlé"]


def test_brackets_glued_to_a_word_are_notation_not_clause_bounds():
    from mtcheck.checks.text import clauses

    text = "moins de ^([5])Ca et de ^([6])Ca, Np(IV) puis f(x) (voir la figure 8b) ici."
    assert [c.text for c in clauses(text)] == [
        "moins de ^([5])Ca et de ^([6])Ca", "Np(IV) puis f(x)", "voir la figure 8b", "ici"]


def test_an_html_entity_is_one_character_and_no_clause_bound():
    from mtcheck.checks.text import clauses, reading_length

    text = "And here&#x2019;s the best part: you&#x2019;ll never run out of fun &amp; games; truly."
    assert [c.text for c in clauses(text)] == [
        "And here&#x2019;s the best part", "you&#x2019;ll never run out of fun &amp; games", "truly"]
    assert reading_length(text) == len("And here's the best part: you'll never run out of fun & games; truly.")
