"""What the starter pages must say at each triage level, written from docs/TRIAGE-2026.1.md.

A page tells families what happens at each level in a section of its own, one per level, under
a heading that names the level (``## Urgent: report it in the app now if`` ...). `problems()`
reads those sections and checks them against the tables below:

- every section says what the contract tells the family at that level (section 5): emergency,
  call the emergency number or go to the emergency department, then tell the oncology team;
  urgent, report it in the app, the oncology nurse calls within 1 hour, and only if nobody
  has called, the 24-hour line; monitor, a nurse reviews it today, and what to do when it gets
  worse; routine, self-care and keep reporting;
- each threshold of the symptom's row (section 3) stands in the section of its level, and in no
  other level's section;
- no section is below the symptom's lowest level (``other`` is never routine);
- an urgent item naming a temperature of 38 °C says what chemotherapy changes (an emergency);
- the heading the first pages used for urgent symptoms ("Call the 24-hour oncology line now
  if") is gone, and summaries no longer say that a symptom "needs a call".

Patterns are regular expressions, matched case-insensitively against the section with its
Markdown emphasis removed and its whitespace collapsed, so rewrapping a page changes nothing.
"""

from __future__ import annotations

import re

LEVELS = ("routine", "monitor", "urgent", "emergency")

# Heading prefix of each level's section.
LEVEL_HEADINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("Emergency:", "emergency"),
        ("Urgent:", "urgent"),
        ("A nurse will review it today", "monitor"),
        ("Report it and look after yourself", "routine"),
        ("Keep reporting", "routine"),
    ),
    "vi": (
        ("Cấp cứu:", "emergency"),
        ("Khẩn:", "urgent"),
        ("Điều dưỡng sẽ xem trong ngày", "monitor"),
        ("Báo trong ứng dụng và tự chăm sóc", "routine"),
        ("Tiếp tục báo cáo", "routine"),
    ),
}

# What the family is told at each level (contract section 5), in every section of that level.
LEVEL_MESSAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "emergency": (
            r"call the emergency number",
            r"emergency department",
            r"do not wait for a call back",
            r"then tell the oncology team",
        ),
        "urgent": (
            r"report it in the app now",
            r"the oncology nurse will call you within 1 hour",
            r"if nobody has called you within 1 hour[^.]*call the 24-hour oncology line",
        ),
        "monitor": (r"a nurse will review it today", r"send a new report at once"),
        "routine": (r"keep reporting",),
    },
    "vi": {
        "emergency": (
            r"gọi số cấp cứu",
            r"khoa cấp cứu",
            r"đừng chờ điều dưỡng gọi lại",
            r"sau đó báo cho nhóm điều trị ung bướu",
        ),
        "urgent": (
            r"báo ngay trong ứng dụng",
            r"điều dưỡng ung bướu sẽ gọi lại trong vòng 1 giờ",
            r"nếu sau 1 giờ vẫn chưa có ai gọi[^.]*gọi đường dây ung bướu 24 giờ",
        ),
        "monitor": (r"điều dưỡng sẽ xem trong", r"gửi ngay một báo cáo mới"),
        "routine": (r"tiếp tục báo",),
    },
}

# Rule 3 of section 6, on every symptom page with a monitor section.
TWO_AMBERS: dict[str, str] = {
    "en": r"two or more symptoms that a nurse reviews today at the same time[^.]*urgent",
    "vi": r"từ hai triệu chứng trở lên thuộc loại điều dưỡng xem trong ngày[^.]*khẩn",
}

# The fever rule with chemotherapy (38.0 °C or more is an emergency): an urgent item or
# paragraph that names a temperature of 38 °C or more must say what chemotherapy changes.
FEVER_38 = r"\b38(?:[.,]0)? °C"
CHEMOTHERAPY = {"en": r"chemotherapy", "vi": r"hóa trị"}

FORBIDDEN_IN_BODY: dict[str, tuple[str, ...]] = {
    "en": (r"^## Call the 24-hour oncology line",),
    "vi": (r"^## Gọi ngay đường dây ung bướu 24 giờ",),
}
FORBIDDEN_IN_SUMMARY: dict[str, tuple[str, ...]] = {
    "en": (r"needs? a call", r"\bcall if\b", r"when to call"),
    "vi": (r"cần gọi", r"gọi ngay nếu", r"gọi cho khoa"),
}

Thresholds = dict[str, tuple[str, ...]]  # level: patterns

# Contract section 3, one row per symptom code: each level the row gives, down to the row's
# lowest level, with the thresholds the page must state at that level.
SYMPTOM_THRESHOLDS: dict[str, dict[str, Thresholds]] = {
    "diarrhea": {
        "en": {
            "emergency": (r"black and tarry",),
            "urgent": (r"4 or more times", r"blood or mucus", r"diarrhoea and belly pain"),
            "monitor": (r"1 to 3 times",),
        },
        "vi": {
            "emergency": (r"đen như hắc ín",),
            "urgent": (r"từ 4 lần/ngày trở lên", r"máu hoặc nhầy", r"tiêu chảy kèm đau bụng"),
            "monitor": (r"1 đến 3 lần/ngày",),
        },
    },
    "abdominal_pain": {
        "en": {
            "urgent": (
                r"pain is severe",
                r"belly pain that limits your usual activities and diarrhoea",
                r"upper right side of the belly",
            ),
            "monitor": (r"pain is moderate",),
            "routine": (r"pain is mild",),
        },
        "vi": {
            "urgent": (
                r"đau dữ dội",
                r"sinh hoạt thường ngày kèm tiêu chảy",
                r"vùng bụng trên bên phải",
            ),
            "monitor": (r"đau vừa",),
            "routine": (r"đau nhẹ",),
        },
    },
    "rash": {
        "en": {
            "emergency": (r"blisters or peels", r"sores in the mouth, eyes or genitals"),
            "urgent": (r"large area \(more than 30 palm-sizes\)",),
            "monitor": (r"medium area \(10 to 30 palm-sizes\)",),
            "routine": (r"small area \(fewer than 10 palm-sizes\)",),
        },
        "vi": {
            "emergency": (
                r"phỏng nước hoặc bong tróc",
                r"lở loét ở miệng, mắt hoặc bộ phận sinh dục",
            ),
            "urgent": (r"vùng lớn \(hơn 30 lòng bàn tay\)",),
            "monitor": (r"vùng vừa \(khoảng 10 đến 30 lòng bàn tay\)",),
            "routine": (r"vùng nhỏ \(chưa tới 10 lòng bàn tay\)",),
        },
    },
    "itching": {
        "en": {
            "urgent": (r"itching is severe", r"stops you sleeping"),
            "monitor": (r"widespread but comes and goes",),
            "routine": (r"itching is in one area",),
        },
        "vi": {
            "urgent": (r"ngứa nặng", r"mất ngủ"),
            "monitor": (r"lan rộng nhưng lúc có lúc không",),
            "routine": (r"ngứa ở một vùng",),
        },
    },
    "nosebleed": {
        "en": {
            "emergency": (r"30 minutes and has not stopped",),
            "urgent": (r"more than 10 minutes", r"3 or more nosebleeds"),
            # Grade 1 is monitor with an anti-VEGF drug; easy bruising (bleeding row) is monitor.
            "monitor": (
                r"short nosebleed \(10 minutes or less\) while you take bevacizumab or another "
                r"anti-VEGF medicine",
                r"bruise easily",
            ),
            "routine": (r"short nosebleed[^.]*you take no anti-VEGF medicine",),
        },
        "vi": {
            "emergency": (r"đã 30 phút mà chưa cầm",),
            "urgent": (r"hơn 10 phút", r"từ 3 lần trở lên"),
            "monitor": (
                r"chảy máu cam ngắn \(10 phút trở xuống\) khi đang dùng bevacizumab hoặc thuốc "
                r"kháng VEGF",
                r"dễ bầm tím",
            ),
            "routine": (r"chảy máu cam ngắn[^.]*không dùng thuốc kháng VEGF",),
        },
    },
    "high_blood_pressure": {
        "en": {
            "emergency": (
                r"140/90 or more[^.]*and you have a severe headache or a change in vision",
                # Chest pain is an emergency at any reading (chest_or_heart row).
                r"chest pain, confusion, a fit[^.]*whatever the reading",
            ),
            "urgent": (
                r"160/100 or more",
                r"severe headache or a change in vision and the reading is lower than 140/90",
            ),
            "monitor": (r"from 140/90 up to 159/99",),
            "routine": (r"lower than 140/90 and you feel well",),
        },
        "vi": {
            "emergency": (
                r"từ 140/90 trở lên[^.]*đau đầu dữ dội hoặc thay đổi thị lực",
                r"đau ngực, lú lẫn, co giật[^.]*dù huyết áp là bao nhiêu",
            ),
            "urgent": (r"từ 160/100 trở lên", r"thay đổi thị lực khi huyết áp dưới 140/90"),
            "monitor": (r"từ 140/90 đến 159/99",),
            "routine": (r"dưới 140/90 và thấy khỏe",),
        },
    },
    "vomiting": {
        "en": {
            "emergency": (r"vomit blood", r"coffee grounds"),
            "urgent": (r"6 or more times", r"cannot keep fluids down"),
            "monitor": (r"3 to 5 times",),
            "routine": (r"once or twice",),
        },
        "vi": {
            "emergency": (r"nôn ra máu", r"bã cà phê"),
            "urgent": (r"từ 6 lần trở lên", r"uống vào là nôn ra"),
            "monitor": (r"3 đến 5 lần",),
            "routine": (r"một hai lần",),
        },
    },
    "nausea": {
        "en": {
            "urgent": (r"hardly eat or drink",),
            "monitor": (r"eating less than usual",),
            "routine": (r"eating normally",),
        },
        "vi": {
            "urgent": (r"gần như không ăn, không uống được",),
            "monitor": (r"ăn ít hơn bình thường",),
            "routine": (r"vẫn ăn uống bình thường",),
        },
    },
    "breathing": {
        "en": {
            "emergency": (r"breathless at rest", r"91 or lower"),
            "urgent": (r"dressing or walking on flat ground", r"92 to 94"),
            "monitor": (r"new or worse cough", r"only on stairs or hills"),
        },
        "vi": {
            "emergency": (r"khó thở cả khi ngồi nghỉ", r"từ 91 trở xuống"),
            "urgent": (r"mặc quần áo hoặc đi lại trên đường bằng", r"từ 92 đến 94"),
            "monitor": (r"mới bị ho", r"chỉ hụt hơi khi leo cầu thang"),
        },
    },
    "liver": {
        "en": {
            "emergency": (r"confused, very drowsy",),
            "urgent": (r"skin or eyes turn yellow", r"urine is dark", r"pain under the right ribs"),
        },
        "vi": {
            "emergency": (r"lú lẫn, lơ mơ",),
            "urgent": (r"da hoặc mắt bị vàng", r"nước tiểu sẫm màu", r"đau vùng dưới sườn phải"),
        },
    },
    "fever": {
        "en": {
            "emergency": (r"above 40 °C", r"38 °C or more and you also receive chemotherapy"),
            "urgent": (r"38\.0 °C or more \(up to 40 °C\) and you do not receive chemotherapy",),
            "monitor": (r"from 37\.5 °C up to 37\.9 °C",),
            "routine": (r"below 37\.5 °C",),
        },
        "vi": {
            "emergency": (r"trên 40 °C", r"từ 38 °C trở lên và đang dùng cả hóa trị"),
            "urgent": (r"từ 38,0 °C trở lên \(đến 40 °C\) và không dùng hóa trị",),
            "monitor": (r"từ 37,5 °C đến 37,9 °C",),
            "routine": (r"dưới 37,5 °C",),
        },
    },
    "fatigue": {
        "en": {
            "urgent": (r"cannot wash, dress or eat",),
            "monitor": (r"does not get better with rest and limits your daily activities",),
            "routine": (r"mild and gets better with rest",),
        },
        "vi": {
            "urgent": (r"không tự tắm rửa, mặc quần áo hay ăn uống được",),
            "monitor": (r"nghỉ ngơi không đỡ",),
            "routine": (r"nghỉ ngơi thì đỡ",),
        },
    },
    "headache_or_vision": {
        "en": {
            # Fainting is an emergency (chest_or_heart row), above this row's urgent.
            "emergency": (r"fainted",),
            "urgent": (r"you have a severe headache,", r"vision changes", r"dizzy"),
        },
        "vi": {
            "emergency": (r"bị ngất",),
            "urgent": (r"- đau đầu dữ dội,", r"thay đổi thị lực: nhìn mờ", r"chóng mặt"),
        },
    },
    "thirst_or_urination": {
        "en": {
            "emergency": (r"fruity", r"confused or very drowsy"),
            "urgent": (r"very thirsty", r"passing urine much more often"),
        },
        "vi": {
            "emergency": (r"mùi trái cây", r"lú lẫn hoặc lơ mơ"),
            "urgent": (r"khát nhiều", r"đi tiểu nhiều"),
        },
    },
    "nerves_or_muscles": {
        "en": {
            "emergency": (r"trouble swallowing or breathing",),
            "urgent": (r"new weakness", r"eyelids droop", r"double vision"),
            "monitor": (r"numbness or tingling alone",),
        },
        "vi": {
            "emergency": (r"khó nuốt hoặc khó thở",),
            "urgent": (r"mới bị yếu", r"sụp mí mắt", r"nhìn đôi"),
            "monitor": (r"chỉ tê bì hoặc kiến bò",),
        },
    },
    "chest_or_heart": {
        "en": {
            "emergency": (
                r"chest pain",
                r"racing, pounding or irregular heartbeat",
                r"fainted, or nearly fainted",
            ),
        },
        "vi": {
            "emergency": (
                r"đau ngực",
                r"tim đập nhanh, đập mạnh hoặc không đều",
                r"ngất, hoặc suýt ngất",
            ),
        },
    },
    "joint_or_muscle_pain": {
        "en": {
            "urgent": (r"pain is severe",),
            "monitor": (r"pain is moderate",),
            "routine": (r"pain is mild",),
        },
        "vi": {
            "urgent": (r"đau dữ dội",),
            "monitor": (r"đau vừa",),
            "routine": (r"đau nhẹ",),
        },
    },
    "urine": {
        "en": {
            "urgent": (r"much less urine", r"blood in the urine"),
            "monitor": (r"very foamy", r"legs are swollen"),
        },
        "vi": {
            "urgent": (r"đi tiểu ít hẳn", r"tiểu ra máu"),
            "monitor": (r"nước tiểu có rất nhiều bọt", r"phù mắt cá chân"),
        },
    },
    "hand_foot_skin": {
        "en": {
            "urgent": (r"blisters or cracks", r"cannot walk or use your hands"),
            "monitor": (r"pain limits your daily activities",),
            "routine": (r"red but not painful",),
        },
        "vi": {
            "urgent": (r"phỏng nước hoặc nứt da", r"không đi lại hay cầm nắm được"),
            "monitor": (r"đau và làm hạn chế sinh hoạt hằng ngày",),
            "routine": (r"da đỏ nhưng không đau",),
        },
    },
    "bleeding": {
        "en": {
            "emergency": (r"black and tarry", r"vomit blood", r"cough up blood"),
            "monitor": (r"bruise easily",),
        },
        "vi": {
            "emergency": (r"phân đen như hắc ín", r"nôn ra máu", r"ho ra máu"),
            "monitor": (r"dễ bầm tím",),
        },
    },
    "other": {
        # Never routine: a person must read free text.
        "en": {"urgent": (r"symptom is severe",), "monitor": (r"mild or moderate",)},
        "vi": {"urgent": (r"triệu chứng nặng",), "monitor": (r"nhẹ hoặc vừa",)},
    },
}

# The general page that lists every level.
WHEN_TO_CALL_THRESHOLDS: dict[str, Thresholds] = {
    "en": {
        "emergency": (
            r"chest pain",
            r"91 or lower",
            r"above 40 °C, or 38 °C or more if you also have chemotherapy",
            r"trouble swallowing,",
            r"fruity-smelling breath",
            r"30 minutes and has not stopped",
        ),
        "urgent": (
            r"38 °C or more \(up to 40 °C\), if you do not have chemotherapy",
            r"diarrhoea 4 or more times",
            r"92 to 94",
            r"more than 10 minutes",
            r"160/100 or more",
            r"two or more of the symptoms in the next list at the same time",
        ),
        "monitor": (
            r"diarrhoea 1 to 3 times",
            r"from 37\.5 °C up to 37\.9 °C",
            r"vomiting 3 to 5 times",
            r"from 140/90 up to 159/99",
            r"numbness or tingling",
            r"short nosebleed while you take bevacizumab",
        ),
        "routine": (r"keep reporting even mild symptoms",),
    },
    "vi": {
        "emergency": (
            r"đau ngực",
            r"từ 91 trở xuống",
            r"sốt trên 40 °C, hoặc từ 38 °C trở lên nếu đang dùng cả hóa trị",
            r"khó nuốt",
            r"hơi thở có mùi trái cây",
            r"đã 30 phút mà vẫn chưa cầm",
        ),
        "urgent": (
            r"sốt từ 38 °C trở lên \(đến 40 °C\), nếu không dùng hóa trị",
            r"từ 4 lần/ngày trở lên",
            r"từ 92 đến 94",
            r"hơn 10 phút",
            r"từ 160/100 trở lên",
            r"từ hai triệu chứng trở lên ở mục dưới đây cùng lúc",
        ),
        "monitor": (
            r"1 đến 3 lần mỗi ngày",
            r"từ 37,5 °C đến 37,9 °C",
            r"nôn 3 đến 5 lần",
            r"từ 140/90 đến 159/99",
            r"tê bì hoặc kiến bò",
            r"chảy máu cam ngắn khi đang dùng bevacizumab",
        ),
        "routine": (r"tiếp tục báo cả những triệu chứng nhẹ",),
    },
}


def plain(text: str) -> str:
    """``text`` without Markdown emphasis, its whitespace collapsed."""
    return " ".join(text.replace("**", "").split())


def level_blocks(body: str, language: str) -> dict[str, list[str]]:
    """The plain text of each list item and paragraph of each level's section(s) of ``body``,
    the heading first."""
    blocks: dict[str, list[list[str]]] = {}
    current: str | None = None
    for line in body.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            current = next(
                (level for prefix, level in LEVEL_HEADINGS[language] if heading.startswith(prefix)),
                None,
            )
            if current is not None:
                blocks.setdefault(current, []).append([line[3:]])
            continue
        if current is None:
            continue
        section = blocks[current]
        if not line.strip():
            section.append([])
        elif re.match(r"(- |\d+\. )", line):
            section.append([line])
        else:
            section[-1].append(line)
    return {
        level: [plain(" ".join(block)) for block in section if block]
        for level, section in blocks.items()
    }


def level_sections(body: str, language: str) -> dict[str, str]:
    """The plain text of each level's section(s) of ``body``, heading included."""
    return {level: " ".join(blocks) for level, blocks in level_blocks(body, language).items()}


def _found(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def problems(
    *, language: str, summary: str, body: str, thresholds: Thresholds, symptom_page: bool = True
) -> list[str]:
    """Every way the page (``summary`` and ``body``) disagrees with ``thresholds``; [] if none."""
    found: list[str] = []
    sections = level_sections(body, language)
    found.extend(
        f"{block!r} names 38 °C without the chemotherapy rule"
        for block in level_blocks(body, language).get("urgent", [])
        if _found(FEVER_38, block) and not _found(CHEMOTHERAPY[language], block)
    )
    for level, patterns in thresholds.items():
        if level not in sections:
            found.append(f"no {level} section")
            continue
        for pattern in patterns:
            if not _found(pattern, sections[level]):
                found.append(f"{pattern!r} is not in the {level} section")
            found.extend(
                f"{pattern!r} is also in the {other} section"
                for other, text in sections.items()
                if other != level and _found(pattern, text)
            )
    lowest = min(thresholds, key=LEVELS.index)
    found.extend(
        f"a {level} section, below the lowest level of the contract ({lowest})"
        for level in sections
        if LEVELS.index(level) < LEVELS.index(lowest)
    )
    for level, text in sections.items():
        found.extend(
            f"the {level} section does not say {message!r}"
            for message in LEVEL_MESSAGES[language][level]
            if not _found(message, text)
        )
    monitor = sections.get("monitor")
    if symptom_page and monitor is not None and not _found(TWO_AMBERS[language], monitor):
        found.append("the monitor section does not give the two-ambers rule")
    found.extend(
        f"the body has {pattern!r}"
        for pattern in FORBIDDEN_IN_BODY[language]
        if re.search(pattern, body, re.MULTILINE)
    )
    found.extend(
        f"the summary has {pattern!r}"
        for pattern in FORBIDDEN_IN_SUMMARY[language]
        if _found(pattern, summary)
    )
    return found
