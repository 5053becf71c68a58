"""The symptom catalogue of ruleset 2026.1: one definition per symptom.

Each ``SymptomDef`` holds everything about its symptom that anyone needs: the fields and
their limits (read by the validator and the web form), the plain-language texts (read by the
form and translators), and the ``rate`` function that turns valid values into a grade and a
level (read by the engine). Adding a symptom means adding one entry here, then vignettes and
tests; the rules across symptoms live in ``engine.py`` because they span symptoms.

Choices of every field are listed from the least to the most severe: the property tests rely
on "a later choice is never less severe".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .drugs import Regimen
from .i18n import gettext_noop
from .levels import Level

FieldKind = Literal["int", "float", "bool", "text", "choice"]
Values = Mapping[str, Any]
# (grade or None when lab-graded, level before the cross-symptom rules, a marked phrase that
# says what decided it; the phrase becomes part of the reason shown to staff)
Rating = tuple[int | None, Level, str]
RateFn = Callable[[Values, Regimen], Rating]

ROUTINE, MONITOR, URGENT, EMERGENCY = Level.ROUTINE, Level.MONITOR, Level.URGENT, Level.EMERGENCY

TEXT_MAX_LENGTH = 500

# Severity directions for FieldDef.severity: how a larger value (or true) bears on severity.
WORSE_WHEN_HIGHER = 1
WORSE_WHEN_LOWER = -1
NO_BEARING = 0

IRAE_CATEGORIES: dict[str, str] = {
    "cardiac": gettext_noop("heart (possible myocarditis)"),
    "dermatologic": gettext_noop("skin"),
    "endocrine": gettext_noop("hormone glands"),
    "gastrointestinal": gettext_noop("gut (possible colitis)"),
    "hepatic": gettext_noop("liver (possible hepatitis)"),
    "musculoskeletal": gettext_noop("joints and muscles"),
    "neurologic": gettext_noop("nerves and muscles"),
    "pulmonary": gettext_noop("lungs (possible pneumonitis)"),
    "renal": gettext_noop("kidneys (possible nephritis)"),
}


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed code of a choice field and the plain words shown for it."""

    code: str
    label: str


@dataclass(frozen=True, slots=True)
class FieldDef:
    """One input of a symptom, with everything the validator and the web form need.

    ``severity`` says how the value bears on severity (WORSE_WHEN_HIGHER, WORSE_WHEN_LOWER
    or NO_BEARING); for a choice "higher" means later in ``choices``.
    """

    name: str
    kind: FieldKind
    label: str
    help_text: str = ""
    optional: bool = False
    default: object = None
    min_value: int | float | None = None
    max_value: int | float | None = None
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    severity: int = WORSE_WHEN_HIGHER

    @property
    def choice_codes(self) -> tuple[str, ...]:
        return tuple(choice.code for choice in self.choices)


@dataclass(frozen=True, slots=True)
class Check:
    """A rule between fields of one symptom, tested once every field in ``uses`` is valid.

    ``template`` is a marked message with ``%(symptom)s`` and any field names as placeholders;
    ``plain`` says the same to a family beside the question, in plain words with no codes.
    """

    field: str | None
    uses: tuple[str, ...]
    test: Callable[[Values], bool]
    template: str
    plain: str = ""


@dataclass(frozen=True, slots=True)
class SymptomDef:
    """Everything about one symptom of the catalogue.

    ``requires_one_of`` names the fields of which at least one must report the symptom: for
    bool groups "at least one true". When ``requirement`` is set it decides instead (the
    ``breathing`` row: a cough, breathlessness other than none, or spo2 below 95), and
    ``requirement_message`` explains it; ``requirement_plain`` says it to a family.
    """

    code: str
    label: str
    short_label: str
    help_text: str
    fields: tuple[FieldDef, ...]
    rate: RateFn
    irae: str | None = None
    # The irAE flag needs at least this grade (fatigue: endocrine only from grade 2).
    irae_min_grade: int = 0
    anti_vegf_typical: bool = False
    lab_graded: bool = False
    requires_one_of: tuple[str, ...] = ()
    requirement: Callable[[Values], bool] | None = None
    requirement_message: str | None = None
    requirement_plain: str | None = None
    checks: tuple[Check, ...] = ()

    def field(self, name: str) -> FieldDef:
        """The field called ``name`` (KeyError when there is none)."""
        for field_def in self.fields:
            if field_def.name == name:
                return field_def
        raise KeyError(name)

    def is_reported(self, values: Values) -> bool:
        """Whether valid ``values`` meet the "at least one" requirement (true if none)."""
        if self.requirement is not None:
            return self.requirement(values)
        if not self.requires_one_of:
            return True
        return any(values.get(name) is True for name in self.requires_one_of)


# --- field builders: keep the table below short and uniform --------------------------------


def _int(
    name: str,
    label: str,
    help_text: str,
    low: int,
    high: int,
    *,
    optional: bool = False,
    default: int | None = None,
    severity: int = WORSE_WHEN_HIGHER,
) -> FieldDef:
    return FieldDef(name, "int", label, help_text, optional, default, low, high, severity=severity)


def _bool(
    name: str, label: str, help_text: str = "", severity: int = WORSE_WHEN_HIGHER
) -> FieldDef:
    # Contract: bools are optional and false when absent.
    return FieldDef(name, "bool", label, help_text, optional=True, default=False, severity=severity)


def _choice(name: str, label: str, help_text: str, choices: tuple[Choice, ...]) -> FieldDef:
    return FieldDef(name, "choice", label, help_text, choices=choices)


def _severity(help_text: str, mild: str, moderate: str, severe: str) -> FieldDef:
    choices = (Choice("mild", mild), Choice("moderate", moderate), Choice("severe", severe))
    return _choice("severity", gettext_noop("How bad is it?"), help_text, choices)


# --- rating helpers ------------------------------------------------------------------------

# Index = grade (0-4); several rows share these columns.
_R_M_U = (ROUTINE, ROUTINE, MONITOR, URGENT, URGENT)
_SEVERITY_GRADES: dict[str, int] = {"mild": 1, "moderate": 2, "severe": 3}


def _rate_by_choice(field: FieldDef, levels: tuple[Level, ...]) -> RateFn:
    """A rate function for rows graded 1, 2, 3 ... by the position of one choice."""
    by_code = {
        choice.code: (grade, levels[grade], choice.label)
        for grade, choice in enumerate(field.choices, start=1)
    }
    name = field.name

    def rate(values: Values, regimen: Regimen) -> Rating:
        return by_code[values[name]]

    return rate


def _band(value: float, bands: tuple[tuple[float, int, str], ...]) -> tuple[int, str]:
    """The (grade, phrase) of the first band whose lower bound ``value`` reaches."""
    for low, grade, phrase in bands:
        if value >= low:
            return grade, phrase
    raise ValueError(value)  # unreachable for validated input: the last band starts at min


# --- diarrhea ------------------------------------------------------------------------------

_DIARRHEA_BANDS = (
    (7, 3, gettext_noop("7 or more stools a day over usual")),
    (4, 2, gettext_noop("4-6 stools a day over usual")),
    (1, 1, gettext_noop("1-3 stools a day over usual")),
    (0, 0, gettext_noop("no more stools than usual")),
)
_DIARRHEA_LEVELS = (ROUTINE, MONITOR, URGENT, URGENT, EMERGENCY)


def _rate_diarrhea(values: Values, regimen: Regimen) -> Rating:
    grade, phrase = _band(values["stools_over_baseline"], _DIARRHEA_BANDS)
    if values["blood_or_mucus"] and grade < 2:
        grade, phrase = 2, gettext_noop("blood or mucus in the stools")
    if values["black_or_tarry"]:
        # Possible bleeding from the gut, whatever the stool count.
        return grade, EMERGENCY, gettext_noop("black or tarry stools")
    return grade, _DIARRHEA_LEVELS[grade], phrase


DIARRHEA = SymptomDef(
    code="diarrhea",
    label=gettext_noop("Diarrhoea (loose or watery stools)"),
    short_label=gettext_noop("Diarrhoea"),
    help_text=gettext_noop("Going to the toilet more often than usual, or loose, watery stools."),
    fields=(
        _int(
            "stools_over_baseline",
            gettext_noop("How many more stools than usual in the last 24 hours?"),
            gettext_noop("Count the extra times compared with a normal day for you. 0 if none."),
            0,
            30,
        ),
        _bool("blood_or_mucus", gettext_noop("Blood or mucus (slime) in the stools")),
        _bool("black_or_tarry", gettext_noop("Black, sticky or tar-like stools")),
    ),
    rate=_rate_diarrhea,
    irae="gastrointestinal",
)

# --- abdominal pain ------------------------------------------------------------------------

_ABDOMINAL_SEVERITY = _severity(
    gettext_noop("Choose the answer closest to how the pain affects you."),
    gettext_noop("Mild — noticeable, but usual activities are possible"),
    gettext_noop("Moderate — limits some usual activities"),
    gettext_noop("Severe — cannot do usual activities or self-care"),
)

ABDOMINAL_PAIN = SymptomDef(
    code="abdominal_pain",
    label=gettext_noop("Belly (abdominal) pain"),
    short_label=gettext_noop("Belly pain"),
    help_text=gettext_noop("Pain or cramps anywhere in the belly."),
    fields=(_ABDOMINAL_SEVERITY,),
    rate=_rate_by_choice(_ABDOMINAL_SEVERITY, _R_M_U),
    irae="gastrointestinal",
)

# --- rash ----------------------------------------------------------------------------------

_RASH_AREA = _choice(
    "body_area",
    gettext_noop("How much of the skin has the rash?"),
    gettext_noop("The palm of your hand with the fingers is about one hundredth of your skin."),
    (
        Choice("small", gettext_noop("A small area — less than 10 palm-sizes of skin")),
        Choice("medium", gettext_noop("A medium area — about 10 to 30 palm-sizes of skin")),
        Choice("large", gettext_noop("A large area — more than 30 palm-sizes of skin")),
    ),
)
_RASH_GRADES = {choice.code: grade for grade, choice in enumerate(_RASH_AREA.choices, start=1)}
_RASH_PHRASES = {choice.code: choice.label for choice in _RASH_AREA.choices}
_RASH_LEVELS = (ROUTINE, ROUTINE, MONITOR, URGENT, EMERGENCY)


def _rate_rash(values: Values, regimen: Regimen) -> Rating:
    if values["blisters_or_peeling"] or values["mouth_eye_genital_sores"]:
        # Possible severe skin reaction (SJS/TEN): grade 4 whatever the area.
        return (
            4,
            EMERGENCY,
            gettext_noop("blisters, peeling skin or sores in the mouth, eyes or genitals"),
        )
    area = values["body_area"]
    grade = _RASH_GRADES[area]
    return grade, _RASH_LEVELS[grade], _RASH_PHRASES[area]


RASH = SymptomDef(
    code="rash",
    label=gettext_noop("Skin rash"),
    short_label=gettext_noop("Rash"),
    help_text=gettext_noop("Red, bumpy, spotty or flaky skin that is new or getting worse."),
    fields=(
        _RASH_AREA,
        _bool("blisters_or_peeling", gettext_noop("Blisters, or skin peeling off")),
        _bool(
            "mouth_eye_genital_sores",
            gettext_noop("Sores in the mouth, eyes or genitals"),
        ),
    ),
    rate=_rate_rash,
    irae="dermatologic",
)

# --- itching -------------------------------------------------------------------------------

_ITCHING_SEVERITY = _severity(
    gettext_noop("Choose the answer closest to your itching."),
    gettext_noop("Mild — in one area"),
    gettext_noop("Moderate — widespread, comes and goes"),
    gettext_noop("Severe — widespread and constant, or stops sleep"),
)

ITCHING = SymptomDef(
    code="itching",
    label=gettext_noop("Itchy skin"),
    short_label=gettext_noop("Itching"),
    help_text=gettext_noop("Itching with or without a rash."),
    fields=(_ITCHING_SEVERITY,),
    rate=_rate_by_choice(_ITCHING_SEVERITY, _R_M_U),
    irae="dermatologic",
)

# --- nosebleed -----------------------------------------------------------------------------


def _rate_nosebleed(values: Values, regimen: Regimen) -> Rating:
    minutes = values["minutes"]
    if values["still_bleeding"] and minutes >= 30:
        return 3, EMERGENCY, gettext_noop("still bleeding after 30 minutes or more")
    if minutes > 10:
        return 2, URGENT, gettext_noop("lasting more than 10 minutes")
    if values["episodes_today"] >= 3:
        return 2, URGENT, gettext_noop("3 or more nosebleeds today")
    if regimen.anti_vegf:
        # Anti-VEGF drugs make bleeding likelier; even a short nosebleed is worth a look.
        return 1, MONITOR, gettext_noop("short nosebleed while on an anti-VEGF drug")
    return 1, ROUTINE, gettext_noop("short nosebleed")


NOSEBLEED = SymptomDef(
    code="nosebleed",
    label=gettext_noop("Nosebleed"),
    short_label=gettext_noop("Nosebleed"),
    help_text=gettext_noop("Bleeding from the nose."),
    fields=(
        _int(
            "minutes",
            gettext_noop("How many minutes has it lasted?"),
            gettext_noop("If it has stopped, how long it lasted. 0 if it was very short."),
            0,
            600,
        ),
        _bool("still_bleeding", gettext_noop("It is still bleeding now")),
        _int(
            "episodes_today",
            gettext_noop("How many nosebleeds today?"),
            gettext_noop("Count this one too."),
            1,
            50,
            optional=True,
            default=1,
        ),
    ),
    rate=_rate_nosebleed,
    anti_vegf_typical=True,
)

# --- high blood pressure -------------------------------------------------------------------

_BP_PHRASES = (
    gettext_noop("below 120/80"),
    gettext_noop("120-139 systolic or 80-89 diastolic"),
    gettext_noop("140-159 systolic or 90-99 diastolic"),
    gettext_noop("160 or more systolic or 100 or more diastolic"),
)
_BP_LEVELS = (ROUTINE, ROUTINE, MONITOR, URGENT)


def _bp_grade(systolic: int, diastolic: int) -> int:
    if systolic >= 160 or diastolic >= 100:
        return 3
    if systolic >= 140 or diastolic >= 90:
        return 2
    if systolic >= 120 or diastolic >= 80:
        return 1
    return 0


def _rate_blood_pressure(values: Values, regimen: Regimen) -> Rating:
    grade = _bp_grade(values["systolic"], values["diastolic"])
    if values["warning_signs"]:
        if grade >= 2:
            return 4, EMERGENCY, gettext_noop("high blood pressure with warning signs")
        # The reading is not high, but the signs still need a person to assess them.
        return (
            grade,
            URGENT,
            gettext_noop("warning signs (headache, chest pain, vision, confusion)"),
        )
    return grade, _BP_LEVELS[grade], _BP_PHRASES[grade]


HIGH_BLOOD_PRESSURE = SymptomDef(
    code="high_blood_pressure",
    label=gettext_noop("High blood pressure reading"),
    short_label=gettext_noop("Blood pressure"),
    help_text=gettext_noop("A high reading on your home blood pressure monitor."),
    fields=(
        _int(
            "systolic",
            gettext_noop("Top number (systolic)"),
            gettext_noop("The first, larger number, for example 150 in 150/85."),
            60,
            300,
        ),
        _int(
            "diastolic",
            gettext_noop("Bottom number (diastolic)"),
            gettext_noop("The second, smaller number, for example 85 in 150/85."),
            30,
            200,
        ),
        _bool(
            "warning_signs",
            gettext_noop("Severe headache, chest pain, change in vision or confusion"),
        ),
    ),
    rate=_rate_blood_pressure,
    anti_vegf_typical=True,
    checks=(
        Check(
            field="diastolic",
            uses=("systolic", "diastolic"),
            test=lambda values: values["diastolic"] < values["systolic"],
            template=gettext_noop(
                "%(symptom)s: 'diastolic' must be below 'systolic' "
                "(got %(systolic)s/%(diastolic)s)."
            ),
            plain=gettext_noop("The bottom number must be lower than the top number."),
        ),
    ),
)

# --- vomiting ------------------------------------------------------------------------------

# Episode counts from CTCAE v4.03, which triage tools still use.
_VOMITING_BANDS = (
    (6, 3, gettext_noop("6 or more times in 24 hours")),
    (3, 2, gettext_noop("3-5 times in 24 hours")),
    (1, 1, gettext_noop("1-2 times in 24 hours")),
    (0, 0, gettext_noop("not in the last 24 hours")),
)


def _rate_vomiting(values: Values, regimen: Regimen) -> Rating:
    grade, phrase = _band(values["episodes_24h"], _VOMITING_BANDS)
    if values["blood"]:
        return grade, EMERGENCY, gettext_noop("blood in the vomit")
    level = _R_M_U[grade]
    if values["cannot_keep_fluids"] and level < URGENT:
        # Risk of dehydration and kidney injury at any episode count.
        return grade, URGENT, gettext_noop("cannot keep fluids down")
    return grade, level, phrase


VOMITING = SymptomDef(
    code="vomiting",
    label=gettext_noop("Vomiting (being sick)"),
    short_label=gettext_noop("Vomiting"),
    help_text=gettext_noop("Bringing food or liquid back up."),
    fields=(
        _int(
            "episodes_24h",
            gettext_noop("How many times in the last 24 hours?"),
            gettext_noop("Count separate times, at least a few minutes apart. 0 if none."),
            0,
            50,
        ),
        _bool("cannot_keep_fluids", gettext_noop("I cannot keep drinks down")),
        _bool("blood", gettext_noop("Blood in the vomit, or it looks like coffee grounds")),
    ),
    rate=_rate_vomiting,
)

# --- nausea --------------------------------------------------------------------------------

_NAUSEA_SEVERITY = _severity(
    gettext_noop("Choose the answer closest to how much you are eating."),
    gettext_noop("Mild — eating normally"),
    gettext_noop("Moderate — eating less than usual"),
    gettext_noop("Severe — hardly eating or drinking"),
)

NAUSEA = SymptomDef(
    code="nausea",
    label=gettext_noop("Feeling sick (nausea)"),
    short_label=gettext_noop("Nausea"),
    help_text=gettext_noop("Feeling as if you might be sick."),
    fields=(_NAUSEA_SEVERITY,),
    rate=_rate_by_choice(_NAUSEA_SEVERITY, _R_M_U),
)

# --- breathing -----------------------------------------------------------------------------

_BREATHLESS = _choice(
    "breathless",
    gettext_noop("Are you short of breath?"),
    gettext_noop("Choose when you get out of breath."),
    (
        Choice("none", gettext_noop("None — not short of breath")),
        Choice("exertion", gettext_noop("On exertion — climbing stairs or walking uphill")),
        Choice(
            "daily_activities",
            gettext_noop("With daily activities — dressing or walking on the flat"),
        ),
        Choice("rest", gettext_noop("At rest — even when sitting or lying still")),
    ),
)
_BREATHLESS_GRADES = {"none": 0, "exertion": 1, "daily_activities": 2, "rest": 3}
_BREATHLESS_PHRASES = {choice.code: choice.label for choice in _BREATHLESS.choices}
_BREATHING_LEVELS = (ROUTINE, MONITOR, URGENT, EMERGENCY, EMERGENCY)


def _breathing_reported(values: Values) -> bool:
    spo2 = values["spo2"]
    return (
        values["new_or_worse_cough"]
        or values["breathless"] != "none"
        or (spo2 is not None and spo2 < 95)
    )


def _rate_breathing(values: Values, regimen: Regimen) -> Rating:
    breathless = values["breathless"]
    grade, phrase = _BREATHLESS_GRADES[breathless], _BREATHLESS_PHRASES[breathless]
    if grade == 0 and values["new_or_worse_cough"]:
        grade, phrase = 1, gettext_noop("new or worse cough")
    spo2 = values["spo2"]
    if spo2 is not None and spo2 <= 91 and grade < 3:
        grade, phrase = 3, gettext_noop("oxygen level (SpO2) 91 or lower")
    elif spo2 is not None and spo2 <= 94 and grade < 2:
        grade, phrase = 2, gettext_noop("oxygen level (SpO2) 92-94")
    return grade, _BREATHING_LEVELS[grade], phrase


BREATHING = SymptomDef(
    code="breathing",
    label=gettext_noop("Cough or shortness of breath"),
    short_label=gettext_noop("Breathing"),
    help_text=gettext_noop("A new or worse cough, or getting out of breath more easily."),
    fields=(
        _bool("new_or_worse_cough", gettext_noop("A new cough, or my cough is worse")),
        _BREATHLESS,
        _int(
            "spo2",
            gettext_noop("Oxygen level (SpO2, in percent), if you have a finger oximeter"),
            gettext_noop("Leave empty if you have no oximeter."),
            50,
            100,
            optional=True,
            severity=WORSE_WHEN_LOWER,
        ),
    ),
    rate=_rate_breathing,
    irae="pulmonary",
    requires_one_of=("new_or_worse_cough", "breathless", "spo2"),
    requirement=_breathing_reported,
    requirement_message=gettext_noop(
        "%(symptom)s: report a new or worse cough, breathlessness other than 'none', "
        "or an oxygen level ('spo2') below 95."
    ),
    requirement_plain=gettext_noop(
        "Tick a new or worse cough, choose how breathless you are, or type an oxygen "
        "level below 95."
    ),
)

# --- liver ---------------------------------------------------------------------------------


def _rate_liver(values: Values, regimen: Regimen) -> Rating:
    if values["confusion_or_drowsiness"]:
        return None, EMERGENCY, gettext_noop("confusion or drowsiness")
    return None, URGENT, gettext_noop("signs of liver trouble")


LIVER = SymptomDef(
    code="liver",
    label=gettext_noop("Yellow skin or eyes, dark urine (possible liver problem)"),
    short_label=gettext_noop("Liver signs"),
    help_text=gettext_noop(
        "Skin or eyes turning yellow, urine dark like tea, or pain under the right ribs."
    ),
    fields=(
        _bool("yellow_skin_or_eyes", gettext_noop("Yellow skin or yellow whites of the eyes")),
        _bool("dark_urine", gettext_noop("Dark urine, like tea or cola")),
        _bool("right_upper_belly_pain", gettext_noop("Pain in the upper right side of the belly")),
        _bool(
            "confusion_or_drowsiness",
            gettext_noop("Confusion, or unusually sleepy and hard to wake"),
        ),
    ),
    rate=_rate_liver,
    irae="hepatic",
    lab_graded=True,
    requires_one_of=(
        "yellow_skin_or_eyes",
        "dark_urine",
        "right_upper_belly_pain",
        "confusion_or_drowsiness",
    ),
)

# --- fever ---------------------------------------------------------------------------------


def _fever_grade(celsius: float) -> tuple[int, str]:
    if celsius > 40.0:
        return 3, gettext_noop("above 40.0 °C")
    if celsius > 39.0:
        return 2, gettext_noop("39.1-40.0 °C")
    if celsius >= 38.0:
        return 1, gettext_noop("38.0-39.0 °C")
    if celsius >= 37.5:
        return 0, gettext_noop("37.5-37.9 °C, a raised temperature")
    return 0, gettext_noop("below 37.5 °C")


def _rate_fever(values: Values, regimen: Regimen) -> Rating:
    celsius = values["temperature_c"]
    grade, phrase = _fever_grade(celsius)
    if celsius >= 38.0 and regimen.chemotherapy:
        # Possible neutropenic sepsis: antibiotics are due within the hour.
        return grade, EMERGENCY, gettext_noop("38.0 °C or more during chemotherapy")
    if celsius > 40.0:
        return grade, EMERGENCY, phrase
    if celsius >= 38.0:
        return grade, URGENT, phrase
    return grade, (MONITOR if celsius >= 37.5 else ROUTINE), phrase


FEVER = SymptomDef(
    code="fever",
    label=gettext_noop("High temperature (fever)"),
    short_label=gettext_noop("Fever"),
    help_text=gettext_noop("Feeling hot or shivery. Check with a thermometer first."),
    fields=(
        FieldDef(
            "temperature_c",
            "float",
            gettext_noop("Temperature in °C"),
            gettext_noop("For example 38.2."),
            min_value=34.0,
            max_value=43.0,
        ),
        _bool("chills", gettext_noop("Shivering or chills"), severity=NO_BEARING),
    ),
    rate=_rate_fever,
)

# --- fatigue -------------------------------------------------------------------------------

_FATIGUE_SEVERITY = _severity(
    gettext_noop("Choose the answer closest to your tiredness."),
    gettext_noop("Mild — better with rest"),
    gettext_noop("Moderate — not better with rest, limits daily activities"),
    gettext_noop("Severe — limits washing, dressing or eating"),
)

FATIGUE = SymptomDef(
    code="fatigue",
    label=gettext_noop("Tiredness (fatigue)"),
    short_label=gettext_noop("Tiredness"),
    help_text=gettext_noop("Feeling more tired or weaker than usual."),
    fields=(_FATIGUE_SEVERITY,),
    rate=_rate_by_choice(_FATIGUE_SEVERITY, _R_M_U),
    irae="endocrine",
    irae_min_grade=2,
)

# --- headache or vision --------------------------------------------------------------------


def _rate_headache_or_vision(values: Values, regimen: Regimen) -> Rating:
    return None, URGENT, gettext_noop("possible hormone gland (pituitary) problem")


HEADACHE_OR_VISION = SymptomDef(
    code="headache_or_vision",
    label=gettext_noop("Headache, vision change or dizziness"),
    short_label=gettext_noop("Headache or vision"),
    help_text=gettext_noop("A bad headache, blurred or double sight, or feeling faint."),
    fields=(
        _bool("severe_headache", gettext_noop("A severe or unusual headache")),
        _bool("vision_change", gettext_noop("Blurred or double vision, or other change in sight")),
        _bool("dizzy_or_fainting", gettext_noop("Dizzy, light-headed or fainting")),
    ),
    rate=_rate_headache_or_vision,
    irae="endocrine",
    lab_graded=True,
    requires_one_of=("severe_headache", "vision_change", "dizzy_or_fainting"),
)

# --- thirst or urination -------------------------------------------------------------------


def _rate_thirst_or_urination(values: Values, regimen: Regimen) -> Rating:
    if values["fruity_breath_or_confusion"]:
        # Possible diabetic ketoacidosis from immune-related diabetes.
        return None, EMERGENCY, gettext_noop("fruity-smelling breath or confusion")
    return None, URGENT, gettext_noop("possible high blood sugar")


THIRST_OR_URINATION = SymptomDef(
    code="thirst_or_urination",
    label=gettext_noop("Very thirsty or passing urine often"),
    short_label=gettext_noop("Thirst or urination"),
    help_text=gettext_noop("Thirsty all the time, or passing urine much more than usual."),
    fields=(
        _bool("very_thirsty", gettext_noop("Very thirsty all the time")),
        _bool("urinating_often", gettext_noop("Passing urine much more often than usual")),
        _bool(
            "fruity_breath_or_confusion",
            gettext_noop("Fruity-smelling breath, or confusion"),
        ),
    ),
    rate=_rate_thirst_or_urination,
    irae="endocrine",
    lab_graded=True,
    requires_one_of=("very_thirsty", "urinating_often", "fruity_breath_or_confusion"),
)

# --- nerves or muscles ---------------------------------------------------------------------


def _rate_nerves_or_muscles(values: Values, regimen: Regimen) -> Rating:
    if values["trouble_swallowing_or_breathing"]:
        # Possible myasthenia or Guillain-Barré: breathing can fail quickly.
        return 4, EMERGENCY, gettext_noop("trouble swallowing or breathing")
    if values["muscle_weakness"] or values["droopy_eyelids_or_double_vision"]:
        return 2, URGENT, gettext_noop("muscle weakness, droopy eyelids or double vision")
    return 1, MONITOR, gettext_noop("numbness or tingling")


NERVES_OR_MUSCLES = SymptomDef(
    code="nerves_or_muscles",
    label=gettext_noop("Numbness, weakness or droopy eyelids"),
    short_label=gettext_noop("Nerves or muscles"),
    help_text=gettext_noop("Numb or tingling hands or feet, weak muscles, or drooping eyelids."),
    fields=(
        _bool("numbness_or_tingling", gettext_noop("Numbness or tingling in hands or feet")),
        _bool("muscle_weakness", gettext_noop("Weak muscles, for example hard to climb stairs")),
        _bool(
            "droopy_eyelids_or_double_vision",
            gettext_noop("Droopy eyelids or double vision"),
        ),
        _bool(
            "trouble_swallowing_or_breathing",
            gettext_noop("Trouble swallowing or breathing"),
        ),
    ),
    rate=_rate_nerves_or_muscles,
    irae="neurologic",
    requires_one_of=(
        "numbness_or_tingling",
        "muscle_weakness",
        "droopy_eyelids_or_double_vision",
        "trouble_swallowing_or_breathing",
    ),
)

# --- chest or heart ------------------------------------------------------------------------


def _rate_chest_or_heart(values: Values, regimen: Regimen) -> Rating:
    return None, EMERGENCY, gettext_noop("possible heart problem")


CHEST_OR_HEART = SymptomDef(
    code="chest_or_heart",
    label=gettext_noop("Chest pain, racing heart or fainting"),
    short_label=gettext_noop("Chest or heart"),
    help_text=gettext_noop("Chest pain or tightness, a racing or pounding heart, or fainting."),
    fields=(
        _bool("chest_pain", gettext_noop("Pain or tightness in the chest")),
        _bool("palpitations", gettext_noop("Heart racing, pounding or skipping beats")),
        _bool("fainted", gettext_noop("I fainted or nearly fainted")),
    ),
    rate=_rate_chest_or_heart,
    irae="cardiac",
    lab_graded=True,
    requires_one_of=("chest_pain", "palpitations", "fainted"),
)

# --- joint or muscle pain ------------------------------------------------------------------

_JOINT_SEVERITY = _severity(
    gettext_noop("Choose the answer closest to how the pain affects you."),
    gettext_noop("Mild — noticeable, but usual activities are possible"),
    gettext_noop("Moderate — limits some usual activities"),
    gettext_noop("Severe — cannot do usual activities or self-care"),
)

JOINT_OR_MUSCLE_PAIN = SymptomDef(
    code="joint_or_muscle_pain",
    label=gettext_noop("Joint or muscle pain"),
    short_label=gettext_noop("Joint or muscle pain"),
    help_text=gettext_noop("Aching, stiff or swollen joints, or sore muscles."),
    fields=(_JOINT_SEVERITY,),
    rate=_rate_by_choice(_JOINT_SEVERITY, _R_M_U),
    irae="musculoskeletal",
)

# --- urine ---------------------------------------------------------------------------------


def _rate_urine(values: Values, regimen: Regimen) -> Rating:
    if values["less_urine"] or values["blood_in_urine"]:
        return None, URGENT, gettext_noop("less urine or blood in the urine")
    return None, MONITOR, gettext_noop("foamy urine or swollen legs")


URINE = SymptomDef(
    code="urine",
    label=gettext_noop("Changes in urine or swollen legs"),
    short_label=gettext_noop("Urine"),
    help_text=gettext_noop("Less urine, pink or foamy urine, or swollen ankles."),
    fields=(
        _bool("less_urine", gettext_noop("Passing much less urine than usual")),
        _bool("blood_in_urine", gettext_noop("Blood in the urine (pink, red or brown)")),
        _bool("foamy_urine", gettext_noop("Very foamy or bubbly urine")),
        _bool("swollen_legs", gettext_noop("Swollen ankles or legs")),
    ),
    rate=_rate_urine,
    irae="renal",
    anti_vegf_typical=True,
    lab_graded=True,
    requires_one_of=("less_urine", "blood_in_urine", "foamy_urine", "swollen_legs"),
)

# --- hand-foot skin reaction ---------------------------------------------------------------

_HAND_FOOT_SEVERITY = _severity(
    gettext_noop("Choose the answer closest to your hands and feet."),
    gettext_noop("Mild — red skin, not painful"),
    gettext_noop("Moderate — painful, limits daily activities"),
    gettext_noop("Severe — blisters or cracks, cannot walk or use the hands"),
)

HAND_FOOT_SKIN = SymptomDef(
    code="hand_foot_skin",
    label=gettext_noop("Sore, red skin on the hands or feet"),
    short_label=gettext_noop("Hand-foot skin"),
    help_text=gettext_noop("Redness, swelling, pain, thick skin or blisters on palms or soles."),
    fields=(_HAND_FOOT_SEVERITY,),
    rate=_rate_by_choice(_HAND_FOOT_SEVERITY, _R_M_U),
    anti_vegf_typical=True,
)

# --- bleeding ------------------------------------------------------------------------------


def _rate_bleeding(values: Values, regimen: Regimen) -> Rating:
    if values["black_or_bloody_stool"] or values["vomiting_blood"] or values["coughing_blood"]:
        return None, EMERGENCY, gettext_noop("bleeding from the gut or lungs")
    return None, MONITOR, gettext_noop("bruising easily")


BLEEDING = SymptomDef(
    code="bleeding",
    label=gettext_noop("Bleeding or bruising"),
    short_label=gettext_noop("Bleeding"),
    help_text=gettext_noop("Blood in the stools, vomit or spit, or bruises that come easily."),
    fields=(
        _bool("black_or_bloody_stool", gettext_noop("Black or bloody stools")),
        _bool("vomiting_blood", gettext_noop("Vomiting blood")),
        _bool("coughing_blood", gettext_noop("Coughing up blood")),
        _bool("easy_bruising", gettext_noop("Bruising easily")),
    ),
    rate=_rate_bleeding,
    anti_vegf_typical=True,
    lab_graded=True,
    requires_one_of=("black_or_bloody_stool", "vomiting_blood", "coughing_blood", "easy_bruising"),
)

# --- other ---------------------------------------------------------------------------------

_OTHER_SEVERITY = _severity(
    gettext_noop("Choose the answer closest to how it affects you."),
    gettext_noop("Mild — noticeable, but usual activities are possible"),
    gettext_noop("Moderate — limits some usual activities"),
    gettext_noop("Severe — cannot do usual activities or self-care"),
)

OTHER = SymptomDef(
    code="other",
    label=gettext_noop("Something else"),
    short_label=gettext_noop("Other"),
    help_text=gettext_noop("Anything that worries you and is not in the list."),
    fields=(
        FieldDef(
            "description",
            "text",
            gettext_noop("What is happening?"),
            gettext_noop("Describe it in your own words."),
            max_length=TEXT_MAX_LENGTH,
            severity=NO_BEARING,
        ),
        _OTHER_SEVERITY,
    ),
    # Never routine: a person must read free text.
    rate=_rate_by_choice(_OTHER_SEVERITY, (MONITOR, MONITOR, MONITOR, URGENT)),
)

# In the contract's table order: reports store and read symptoms in this order (the web form
# shows them grouped, the patient's usual ones first: reporting/symptom_groups.py).
CATALOGUE: dict[str, SymptomDef] = {
    symptom.code: symptom
    for symptom in (
        DIARRHEA,
        ABDOMINAL_PAIN,
        RASH,
        ITCHING,
        NOSEBLEED,
        HIGH_BLOOD_PRESSURE,
        VOMITING,
        NAUSEA,
        BREATHING,
        LIVER,
        FEVER,
        FATIGUE,
        HEADACHE_OR_VISION,
        THIRST_OR_URINATION,
        NERVES_OR_MUSCLES,
        CHEST_OR_HEART,
        JOINT_OR_MUSCLE_PAIN,
        URINE,
        HAND_FOOT_SKIN,
        BLEEDING,
        OTHER,
    )
}
