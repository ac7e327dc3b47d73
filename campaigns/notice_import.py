"""Read a bureau notice into a proposed campaign: pure functions, no database.

`parse_notice` finds what the text states: the issuer, the title, the year, the theme and any dates;
the numbered sections (一、 / （一） / 1. / （1）, full-width or half-width), each section carrying a
"（责任单位：…；配合单位：…）" becoming a workstream with a task; the figures (建设9个…, 募集九名…)
as targets; and the 工作要求 section as checklist items, except an item whose subject is a unit
("各相关科所队要…"), which is a task of no workstream. Every proposal keeps the sentence it came from.

Names of units are only split out here; `notice_services` matches them to units and groups.
Every stored string is a slice of the original text: the parser reads a copy with half-width
punctuation made full-width, character for character, so positions carry over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

RESPONSIBLE = "responsible"
COOPERATING = "cooperating"

# Half-width punctuation read as its full-width form (one character for one, so offsets hold).
_FULL_WIDTH = str.maketrans(
    {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"} | {chr(0xFF10 + d): str(d) for d in range(10)}
)
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN = "零〇一二两三四五六七八九十百千万"

# The numbering styles a heading may use; their levels follow the order in which they first appear.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(r"[一二三四五六七八九十]+[、．.]")),
    ("paren_cn", re.compile(r"（[一二三四五六七八九十]+）")),
    ("arabic", re.compile(r"\d{1,2}(?:[、．]|\.(?!\d))")),
    ("paren_arabic", re.compile(r"（\d{1,2}）")),
)
_ROLE = re.compile(r"(责任单位|牵头单位|主责单位|配合单位|协办单位|参与单位)\s*：")
_PARTIES = re.compile(r"（[^（）]*(?:责任单位|牵头单位|主责单位|配合单位|协办单位|参与单位)\s*：[^（）]*）")
_NAME_SEPARATORS = re.compile(r"[、，,和及；;/]")
_REQUIREMENTS_HEADING = re.compile(r"工作要求|保障|要求")
# A figure the notice sets: a number (Arabic or Chinese), a measure word, then what is counted.
_MEASURES = "个名家次场份人期条台件处所支批户座块张篇"
_FIGURE = re.compile(
    rf"(?<![第每前后近约\d{_CN}])(?P<n>\d+|[{_CN}]+)(?P<unit>[{_MEASURES}])(?P<label>[^，。；：！？\n（）]{{2,60}})"
)
_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?P<{p}m>\d{{1,2}})月(?P<{p}d>\d{{1,2}})日"
_DATE_RANGE = re.compile(_DATE.format(p="a") + r"起?\s*(?:至|到|—|－|-|～|~)\s*" + _DATE.format(p="b"))
_GROUP_ABBREVIATIONS = {"科": "section", "所": "office", "队": "enforcement"}


class NoticeError(ValueError):
    """The text cannot be read as a notice; the message says why, in the UI's language."""


@dataclass(frozen=True)
class Party:
    label: str
    role: str
    # The unit kinds a group name means by its words ("各市场监管所"), empty for a named unit.
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkstreamProposal:
    number: int
    notice_ref: str
    title: str
    description: str
    source: str


@dataclass(frozen=True)
class TaskProposal:
    key: str
    notice_ref: str
    workstream: int | None  # the workstream's number
    title: str
    description: str
    parties: tuple[Party, ...]
    source: str
    # One task per section, as the parser proposes it: a campaign whose section already has tasks
    # (split or renamed by the admin) gets no second one on a later import.
    whole_section: bool = True

    def role(self, role: str) -> list[Party]:
        return [party for party in self.parties if party.role == role]


@dataclass(frozen=True)
class TargetProposal:
    metric: str
    matched: bool  # False: no registered metric counts it; the key is the notice's place
    label: str
    goal: int
    unit_label: str
    workstream: int | None
    source: str


@dataclass(frozen=True)
class RequirementProposal:
    key: str
    notice_ref: str
    title: str
    description: str
    source: str


@dataclass(frozen=True)
class CampaignProposal:
    year: int
    name: str
    theme: str
    metrology_day: dt.date
    start_date: dt.date | None
    end_date: dt.date | None
    notice_title: str
    notice_issuer: str
    notice_text: str
    workstreams: tuple[WorkstreamProposal, ...]
    tasks: tuple[TaskProposal, ...]
    targets: tuple[TargetProposal, ...]
    requirements: tuple[RequirementProposal, ...]
    sources: dict[str, str] = field(default_factory=dict)  # campaign field -> its sentence

    def party_labels(self) -> list[str]:
        """Every unit or group name the notice gives, once, in the notice's order."""
        return list(dict.fromkeys(party.label for task in self.tasks for party in task.parties))


@dataclass
class _Section:
    style: str
    token: str
    ref: str
    heading: str
    body: list[str]
    parent: _Section | None
    raw: list[str]  # the heading line after its number, then the body lines: what the section says
    children: list[_Section] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.body).strip()

    @property
    def source(self) -> str:
        return "\n".join(line for line in self.raw if line)

    def top(self) -> _Section:
        return self if self.parent is None else self.parent.top()


def chinese_number(text: str) -> int:
    """九 -> 9, 十二 -> 12, 二十 -> 20, 一百零五 -> 105, 两千 -> 2000; digits pass through."""
    if text.isdigit():
        return int(text)
    total, section, digit = 0, 0, 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char == "万":
            total += (section + digit) * 10000
            section, digit = 0, 0
        elif char in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            raise ValueError(text)
    return total + section + digit


def read_notice_file(name: str, data: bytes) -> str:
    """The text of an uploaded .txt (UTF-8 or GB18030) or .docx notice."""
    lower = name.lower()
    if lower.endswith(".docx"):
        import docx  # python-docx; imported here so that reading plain text never needs it
        from docx.opc.exceptions import PackageNotFoundError

        try:
            document = docx.Document(io.BytesIO(data))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise NoticeError(_("无法读取该 Word 文件，请确认是 .docx 格式。")) from exc
        return "\n".join(paragraph.text for paragraph in document.paragraphs)
    if lower.endswith(".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise NoticeError(_("无法识别文本文件的编码，请另存为 UTF-8 后再上传。"))
    raise NoticeError(_("只能上传 .txt 或 .docx 文件。"))


def _marker(line: str) -> tuple[str, str, int] | None:
    for style, pattern in _MARKERS:
        match = pattern.match(line)
        if match:
            return style, match.group(0), match.end()
    return None


def _ref_token(style: str, token: str) -> str:
    number = re.sub(r"[、．.（）\s]", "", token)
    return {
        "cn": number,
        "paren_cn": f"（{number}）",
        "arabic": f"{number}.",
        "paren_arabic": f"（{number}）",
    }[style]


def _sections(lines: list[tuple[str, str]]) -> tuple[list[str], list[_Section]]:
    """The lines before the first numbered heading, and the numbered sections as a tree."""
    preamble: list[str] = []
    roots: list[_Section] = []
    levels: list[str] = []
    current: _Section | None = None
    for original, norm in lines:
        lead = len(norm) - len(norm.lstrip(" \t\u3000"))
        marker = _marker(norm[lead:])
        if marker is None:
            if current is None:
                preamble.append(original.strip())
            else:
                current.body.append(original.strip())
                current.raw.append(original.strip())
            continue
        style, token, end = marker
        if style not in levels:
            levels.append(style)
        level = levels.index(style)
        parent = current
        while parent is not None and levels.index(parent.style) >= level:
            parent = parent.parent
        rest = original[lead + end :].strip()
        heading, body = rest, ""
        stop = _normalize(rest).find("。")
        if stop >= 0:  # a heading that runs on into its text: "（一）加强组织领导，力求简约实用。加强…"
            heading, body = rest[:stop], rest[stop + 1 :].strip()
        ref = (parent.ref if parent else "") + _ref_token(style, token)
        section = _Section(style, token, ref, heading.strip(), [body] if body else [], parent, [rest])
        (parent.children if parent else roots).append(section)
        current = section
    return preamble, roots


def _normalize(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def _walk(sections: Iterable[_Section]) -> Iterable[_Section]:
    for section in sections:
        yield section
        yield from _walk(section.children)


def _without_parties(text: str) -> str:
    match = _PARTIES.search(_normalize(text))
    if match is None:
        return text.strip()
    return (text[: match.start()] + text[match.end() :]).strip()


def _group_kinds(label: str, kind_labels: Mapping[str, str]) -> tuple[str, ...]:
    """The kinds a group name means by its words: 各市场监管所, 供水供电供气公用企业, 各相关科所队."""
    core = re.sub(r"^各?(?:相关)?", "", label)
    if re.fullmatch(r"[科所队]{2,3}", core):
        return tuple(_GROUP_ABBREVIATIONS[char] for char in core)
    for kind, kind_label in kind_labels.items():
        if core.endswith(kind_label) and (
            label.startswith("各") or core == kind_label or len(core) > len(kind_label) + 2
        ):
            return (kind,)
    return ()


def _party_names(text: str) -> list[str]:
    names = []
    for raw in _NAME_SEPARATORS.split(text):
        name = re.sub(r"等.*$", "", raw.strip(" \t\u3000。．."))
        if name:
            names.append(name)
    return names


def parse_parties(text: str, kind_labels: Mapping[str, str]) -> tuple[Party, ...]:
    """The parties of "（责任单位：A、B和C；配合单位：D及E等企事业单位）", in either order."""
    match = _PARTIES.search(_normalize(text))
    if match is None:
        return ()
    inner = text[match.start() + 1 : match.end() - 1]
    roles = list(_ROLE.finditer(_normalize(inner)))
    parties: list[Party] = []
    for index, role_match in enumerate(roles):
        end = roles[index + 1].start() if index + 1 < len(roles) else len(inner)
        role = COOPERATING if role_match.group(1) in {"配合单位", "协办单位", "参与单位"} else RESPONSIBLE
        parties.extend(
            Party(name, role, _group_kinds(name, kind_labels))
            for name in _party_names(inner[role_match.end() : end])
        )
    responsible = [p for p in parties if p.role == RESPONSIBLE]
    return tuple(responsible + [p for p in parties if p.role == COOPERATING])


def _sentence_of(text: str, start: int) -> str:
    norm = _normalize(text)
    begin = max(norm.rfind(stop, 0, start) for stop in "。；！？\n") + 1
    ends = [i for i in (norm.find(stop, start) for stop in "。；！？\n") if i >= 0]
    return text[begin : (min(ends) + 1 if ends else len(text))].strip()


def _metric_for(label: str, metrics: Mapping[str, str]) -> str | None:
    """The registered metric whose name ends like the target's (Chinese puts the head noun last)."""
    best, best_length = None, 1
    for key, metric_label in metrics.items():
        name = re.sub(r"（.*?）|\(.*?\)", "", metric_label)
        length = 0
        while length < min(len(name), len(label)) and name[-1 - length] == label[-1 - length]:
            length += 1
        if length > best_length:
            best, best_length = key, length
    return best


def _targets(
    section: _Section, workstream: int, text: str, metrics: Mapping[str, str], used: set[str]
) -> list[TargetProposal]:
    targets: list[TargetProposal] = []
    for match in _FIGURE.finditer(_normalize(text)):
        label = text[match.start("label") : match.end("label")].strip().strip('“”"「」')
        try:
            goal = chinese_number(match.group("n"))
        except ValueError:
            continue
        if goal <= 0 or not label:
            continue
        metric = _metric_for(label, metrics)
        matched = metric is not None and metric not in used
        if not matched:
            metric = f"notice.{section.ref}.{len(targets) + 1}"
        assert metric is not None  # noqa: S101 (set on both branches)
        used.add(metric)
        targets.append(
            TargetProposal(
                metric=metric,
                matched=matched,
                label=label[:100],
                goal=goal,
                unit_label=match.group("unit"),
                workstream=workstream,
                source=_sentence_of(text, match.start()),
            )
        )
    return targets


def _subject_party(text: str, unit_names: frozenset[str], kind_labels: Mapping[str, str]) -> Party | None:
    """ "各相关科所队要…": the unit or group a 工作要求 item addresses as its subject."""
    match = re.match(r"([^，。；：、\s]{2,15}?)(?:要|应当|应)", _normalize(text))
    if match is None:
        return None
    label = text[: match.end(1)]
    kinds = _group_kinds(label, kind_labels)
    if label in unit_names or (label.startswith("各") and kinds):
        return Party(label, RESPONSIBLE, kinds)
    return None


def _campaign_fields(text: str, preamble: list[str], year: int | None) -> dict[str, object]:
    norm = _normalize(text)
    if year is None:
        years = Counter(int(m.group(1)) for m in re.finditer(r"(?<![—－\-至到\d])((?:19|20)\d\d)年", norm))
        if not years:
            raise NoticeError(_("通知中没有写明年度，请指定年度。"))
        year = max(years, key=lambda y: (years[y], y))
    lines = [line for line in preamble if line]
    title = next((line for line in lines if line.startswith("关于") or line.endswith("通知")), "")
    issuer = next(
        (line for line in lines if line != title and len(line) <= 40 and not line.endswith("：")), ""
    )
    if lines and issuer and lines.index(issuer) > (lines.index(title) if title else 0):
        issuer = ""  # the addressees follow the title; an issuer is only the line above it
    name_match = re.search(rf"{year}年“[^”]{{1,30}}”[^，。；：“”\s]{{0,10}}?活动", text)
    core = re.sub(r"^关于|的?通知$", "", title) if title else ""
    name = name_match.group(0) if name_match else (f"{year}年{core}" if core else f"{year}年计量宣传活动")
    theme_match = re.search(r"主题(?:为|是)“([^”]+)”", text) or re.search(r"以“([^”]+)”为主题", text)
    day_match = re.search(r"(\d{1,2})[·•.](\d{1,2})世界计量日", norm)
    metrology_day = dt.date(year, 5, 20)
    if day_match:
        with contextlib.suppress(ValueError):  # "5·32" is no date: World Metrology Day stays 20 May
            metrology_day = dt.date(year, int(day_match.group(1)), int(day_match.group(2)))
    start = end = None
    range_match = _DATE_RANGE.search(norm)
    if range_match:
        try:
            start = dt.date(int(range_match["ay"] or year), int(range_match["am"]), int(range_match["ad"]))
            end = dt.date(
                int(range_match["by"] or start.year), int(range_match["bm"]), int(range_match["bd"])
            )
        except ValueError:
            start = end = None
        if start and end and end < start:
            start = end = None
    sources = {
        "name": _sentence_of(text, name_match.start()) if name_match else title,
        "theme": _sentence_of(text, theme_match.start()) if theme_match else "",
        "dates": _sentence_of(text, range_match.start()) if range_match else "",
    }
    return {
        "year": year,
        "name": name[:200],
        "theme": (theme_match.group(1) if theme_match else name)[:200],
        "metrology_day": metrology_day,
        "start_date": start,
        "end_date": end,
        "notice_title": (title or name)[:300],
        "notice_issuer": issuer[:100],
        "sources": sources,
    }


def parse_notice(
    text: str,
    *,
    year: int | None = None,
    kind_labels: Mapping[str, str] | None = None,
    metrics: Mapping[str, str] | None = None,
    unit_names: Iterable[str] = (),
) -> CampaignProposal:
    """The campaign a notice proposes.

    `kind_labels` maps unit kinds to their names (for group names such as 各市场监管所), `metrics` the
    registered metric keys to their names (for targets), `unit_names` the units that exist (for a
    工作要求 item addressed to one). Raises NoticeError when the text has no numbered section that
    names a 责任单位.
    """
    kind_labels = kind_labels or {}
    metrics = metrics or {}
    names = frozenset(unit_names)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").strip()
    if not text:
        raise NoticeError(_("请粘贴通知全文或上传通知文件。"))
    preamble, roots = _sections([(line, _normalize(line)) for line in text.split("\n")])
    requirement_roots = [
        root
        for root in roots
        if _REQUIREMENTS_HEADING.search(root.heading) and not _PARTIES.search(_normalize(root.text))
    ]
    requirement_root = requirement_roots[-1] if requirement_roots else None

    workstreams: list[WorkstreamProposal] = []
    tasks: list[TaskProposal] = []
    targets: list[TargetProposal] = []
    requirements: list[RequirementProposal] = []
    used_metrics: set[str] = set()
    for section in _walk(roots):
        in_requirements = requirement_root is not None and section.top() is requirement_root
        body = section.text
        parties = parse_parties(body, kind_labels) or parse_parties(section.heading, kind_labels)
        heading = _without_parties(section.heading)
        source = section.source
        if parties and not in_requirements:
            number = len(workstreams) + 1
            description = _without_parties(body)
            workstreams.append(WorkstreamProposal(number, section.ref, heading, description, source))
            tasks.append(
                TaskProposal(
                    section.ref, section.ref, number, heading, description or heading, parties, source
                )
            )
            targets += _targets(section, number, f"{heading}\n{body}", metrics, used_metrics)
        elif in_requirements and section is not requirement_root:
            subject = None if parties else _subject_party(body, names, kind_labels)
            if parties or subject:
                tasks.append(
                    TaskProposal(
                        section.ref,
                        section.ref,
                        None,
                        heading,
                        _without_parties(body) or heading,
                        parties or (subject,),  # type: ignore[arg-type]
                        source,
                    )
                )
            elif not section.children:
                requirements.append(RequirementProposal(section.ref, section.ref, heading, body, source))
    if not workstreams:
        raise NoticeError(
            _(
                "没有识别出工作安排：通知中应有带编号的条目（如“一、”“（一）”“1.”），"
                "并在条目后写明“（责任单位：…；配合单位：…）”。"
            )
        )
    fields = _campaign_fields(text, preamble, year)
    sources = fields.pop("sources")
    return CampaignProposal(
        **fields,  # type: ignore[arg-type]
        notice_text=text,
        workstreams=tuple(workstreams),
        tasks=tuple(tasks),
        targets=tuple(targets),
        requirements=tuple(requirements),
        sources=sources,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class TaskCut:
    """A task an admin cut out of a section: its key, and title and description quoted from it."""

    key: str
    title: str
    description: str


def refine(
    proposal: CampaignProposal,
    *,
    tasks: Mapping[str, tuple[TaskCut, ...]] = {},
    requirements: Mapping[str, tuple[str, str]] = {},
) -> CampaignProposal:
    """The proposal with sections split into the tasks an admin chose, and keys of their own.

    Each title and description must be quoted from its section; the parties stay the section's.
    """
    by_ref = {task.notice_ref: task for task in proposal.tasks}
    refined: list[TaskProposal] = []
    for task in proposal.tasks:
        cuts = tasks.get(task.notice_ref)
        if not cuts:
            refined.append(task)
            continue
        for cut in cuts:
            for quote in (cut.title, cut.description):
                if quote not in task.source:
                    raise NoticeError(
                        _("“%(quote)s”不在通知的%(ref)s中。") % {"quote": quote, "ref": task.notice_ref}
                    )
            refined.append(
                replace(task, key=cut.key, title=cut.title, description=cut.description, whole_section=False)
            )
    unknown = set(tasks) - set(by_ref)
    reqs: list[RequirementProposal] = []
    for item in proposal.requirements:
        if item.notice_ref in requirements:
            key, description = requirements[item.notice_ref]
            if description not in item.source:
                raise NoticeError(
                    _("“%(quote)s”不在通知的%(ref)s中。") % {"quote": description, "ref": item.notice_ref}
                )
            item = replace(item, key=key, description=description)
        reqs.append(item)
    unknown |= set(requirements) - {item.notice_ref for item in proposal.requirements}
    if unknown:
        raise NoticeError(_("通知中没有这些条目：%(refs)s") % {"refs": "、".join(sorted(unknown))})
    return replace(proposal, tasks=tuple(refined), requirements=tuple(reqs))
