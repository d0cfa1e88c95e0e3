"""Word lists of the sandbox engines: sentiment lexicon, topic words, names, bilingual dictionaries."""

from __future__ import annotations

from .common import STOPWORDS


def _split(text: str) -> set[str]:
    return set(text.split())


POSITIVE = {
    "love": 2.5,
    "loved": 2.5,
    "like": 1.0,
    "liked": 1.0,
    "good": 1.5,
    "great": 2.0,
    "excellent": 2.5,
    "amazing": 2.5,
    "wonderful": 2.5,
    "fantastic": 2.5,
    "best": 2.0,
    "happy": 2.0,
    "nice": 1.5,
    "pleasant": 1.5,
    "enjoy": 1.5,
    "enjoyed": 1.5,
    "fun": 1.5,
    "perfect": 2.5,
    "beautiful": 2.0,
    "brilliant": 2.5,
    "awesome": 2.5,
    "friendly": 1.5,
    "fast": 1.0,
    "recommend": 2.0,
    "glad": 1.5,
    "superb": 2.5,
    "delightful": 2.5,
    "favourite": 2.0,
    "favorite": 2.0,
    "thanks": 1.0,
    "cool": 1.0,
    "worth": 1.0,
    "win": 1.0,
    "works": 1.0,
    "easy": 1.0,
    "helpful": 1.5,
    "surprise": 0.5,
}
NEGATIVE = {
    "hate": 2.5,
    "hated": 2.5,
    "bad": 1.5,
    "terrible": 2.5,
    "awful": 2.5,
    "horrible": 2.5,
    "worst": 2.5,
    "boring": 2.0,
    "poor": 1.5,
    "sad": 1.5,
    "angry": 2.0,
    "broke": 1.5,
    "broken": 1.5,
    "slow": 1.0,
    "disappointing": 2.0,
    "disappointed": 2.0,
    "ugly": 1.5,
    "waste": 2.0,
    "fail": 1.5,
    "failed": 1.5,
    "problem": 1.0,
    "wrong": 1.5,
    "nonsense": 1.5,
    "annoying": 1.5,
    "useless": 2.0,
    "dislike": 2.0,
    "mess": 1.0,
    "never": 0.5,
    "sucks": 2.0,
    "hard": 0.5,
    "difficult": 0.5,
    "expensive": 1.0,
}
NEGATIONS = {"not", "no", "never", "n't", "isn't", "wasn't", "don't", "didn't", "doesn't", "hardly"}

RELATED = {
    "sport": "game match team ball football soccer play player score goal win tennis coach season crowd captain",
    "politic": "election government vote president minister law parliament policy party senate campaign",
    "cook": "recipe kitchen bake food oven dish meal flavor soup cake dinner chef eat vegetable bread",
    "food": "recipe kitchen bake cook oven dish meal flavor soup cake dinner eat bread fruit",
    "technology": "computer software model data phone app internet code machine learning ai robot",
    "science": "research experiment physic biology chemistry star data theory scientist",
    "business": "market company price money profit sale customer stock bank economy",
    "music": "song band concert album guitar sing singer melody",
    "travel": "trip flight hotel road mountain sea beach city visit holiday tourist",
    "weather": "rain snow sun sky cloud wind storm temperature cold warm",
    "health": "doctor hospital medicine disease exercise diet sleep",
    "art": "painting museum artist gallery draw sculpture",
    "urgent": "now immediately asap emergency quickly critical",
    "positive": "love good great happy excellent wonderful",
    "negative": "hate bad terrible awful sad poor",
}

PERSONS = _split(
    """ada alan alice bob carol charles david emma grace hugo isaac james john jean julia linus lucy maria
    marie mary michael nikola olivia paul peter sarah sophie thomas tim william wolfgang lovelace turing
    curie einstein newton darwin shakespeare tesla hopper"""
)
LOCATIONS = _split(
    """paris london berlin rome madrid tokyo beijing new york brooklyn france germany england spain italy
    japan china india europe africa america asia canada brazil london lyon amsterdam seattle boston
    california texas mars everest thames seine"""
)
ORGS = _split(
    """google microsoft apple amazon meta ibm nasa unesco nato openai hugging face huggingface mozilla
    wikipedia un bbc cnn toyota siemens airbus"""
)
ORG_SUFFIXES = {
    "inc",
    "corp",
    "ltd",
    "university",
    "company",
    "foundation",
    "labs",
    "institute",
    "bank",
    "group",
}
SENTENCE_START_COMMON = STOPWORDS | {"yesterday", "today", "tomorrow", "please", "thanks", "hello", "once"}

EN_FR = dict(
    pair.split(":")
    for pair in _split(
        """the:le a:un an:un and:et or:ou is:est are:sont was:était be:être i:je you:vous he:il she:elle
    we:nous they:ils it:il my:mon your:votre his:son her:sa our:notre their:leur this:ce that:que not:pas
    hello:bonjour goodbye:au-revoir thanks:merci thank:merci please:s'il-vous-plaît yes:oui no:non good:bon
    bad:mauvais day:jour night:nuit morning:matin evening:soir cat:chat dog:chien house:maison city:ville
    town:ville sea:mer sky:ciel sun:soleil moon:lune water:eau bread:pain cheese:fromage wine:vin food:nourriture
    book:livre books:livres friend:ami friends:amis love:aime like:aime eat:mange drink:bois have:ai has:a
    model:modèle models:modèles data:données learning:apprentissage machine:machine world:monde life:vie time:temps
    today:aujourd'hui tomorrow:demain yesterday:hier big:grand small:petit new:nouveau old:vieux beautiful:beau
    happy:heureux sad:triste very:très much:beaucoup many:beaucoup with:avec without:sans in:dans on:sur
    at:à to:à from:de of:de for:pour by:par under:sous red:rouge blue:bleu green:vert white:blanc black:noir
    how:comment what:quoi where:où why:pourquoi who:qui when:quand name:nom weather:temps rain:pluie snow:neige
    school:école work:travail car:voiture train:train road:route river:rivière mountain:montagne tree:arbre
    flower:fleur child:enfant children:enfants man:homme woman:femme people:gens family:famille mother:mère
    father:père brother:frère sister:soeur write:écris read:lis speak:parle see:vois go:vais come:viens
    language:langue french:français english:anglais german:allemand hub:hub open:ouvert source:source"""
    )
)
EN_DE = dict(
    pair.split(":")
    for pair in _split(
        """the:der a:ein an:ein and:und or:oder is:ist are:sind was:war be:sein i:ich you:du he:er she:sie
    we:wir they:sie it:es my:mein your:dein his:sein her:ihr our:unser their:ihr this:dies that:dass not:nicht
    hello:hallo goodbye:tschüss thanks:danke thank:danke please:bitte yes:ja no:nein good:gut bad:schlecht
    day:Tag night:Nacht morning:Morgen evening:Abend cat:Katze dog:Hund house:Haus city:Stadt town:Stadt sea:Meer
    sky:Himmel sun:Sonne moon:Mond water:Wasser bread:Brot cheese:Käse wine:Wein food:Essen book:Buch books:Bücher
    friend:Freund friends:Freunde love:liebe like:mag eat:esse drink:trinke have:habe has:hat model:Modell
    models:Modelle data:Daten learning:Lernen machine:Maschine world:Welt life:Leben time:Zeit today:heute
    tomorrow:morgen yesterday:gestern big:groß small:klein new:neu old:alt beautiful:schön happy:glücklich
    sad:traurig very:sehr much:viel many:viele with:mit without:ohne in:in on:auf at:bei to:zu from:von of:von
    for:für by:von under:unter red:rot blue:blau green:grün white:weiß black:schwarz how:wie what:was where:wo
    why:warum who:wer when:wann name:Name weather:Wetter rain:Regen snow:Schnee school:Schule work:Arbeit car:Auto
    train:Zug road:Straße river:Fluss mountain:Berg tree:Baum flower:Blume child:Kind children:Kinder man:Mann
    woman:Frau people:Leute family:Familie mother:Mutter father:Vater brother:Bruder sister:Schwester
    write:schreibe read:lese speak:spreche see:sehe go:gehe come:komme language:Sprache french:Französisch
    english:Englisch german:Deutsch hub:Hub open:offen source:Quelle"""
    )
)
DICTIONARIES: dict[tuple[str, str], dict[str, str]] = {
    ("en", "fr"): EN_FR,
    ("en", "de"): EN_DE,
    ("fr", "en"): {v.lower(): k.rstrip("_") for k, v in reversed(list(EN_FR.items()))},
    ("de", "en"): {v.lower(): k.rstrip("_") for k, v in reversed(list(EN_DE.items()))},
}
LANG_NAMES = {
    "english": "en",
    "french": "fr",
    "german": "de",
    "eng": "en",
    "fra": "fr",
    "fre": "fr",
    "deu": "de",
    "ger": "de",
}
