#!/usr/bin/env python3
"""Verify an AccountabilityLedger export (`ledger export`) from the file alone, with Python's
standard library.

    python3 Scripts/verify_export.py EXPORT [--head HASH] [--key FILE] [--format ndjson|csv]

EXPORT is an NDJSON or CSV export, or - for standard input (CSV when the name ends in .csv or
the file starts with the CSV header; --format overrides). It is read as a stream, one line at a
time.

Every line holds readable fields and `canonical`, the record's canonical bytes in hexadecimal:
the 116-byte envelope followed by the payload. For every line, in order, the script checks:

  1. shape: one JSON object (one CSV record) with the export's members and no others, each of
     the right JSON type;
  2. the chain: positions follow each other with no gap; previousHash is the chainHash of the
     line before (64 zeros before position 1; the first line of a partial export is taken as
     given); chainHash == SHA-256(previousHash bytes || canonical bytes);
  3. the envelope: format version 1, no unknown flag bits, the declared payload length; then
     position, revision, schemaVersion, id, recordedAt, occurredAt, actor, correlationID and
     causationID are exactly what the envelope holds (times and UUIDs compared by value; an
     optional member is present exactly when its flag bit is set, and the bytes of an absent
     one are zeros);
  4. type and stream names (see below);
  5. the payload: for the 18 built-in types it is decoded with the line's schema version,
     every byte consumed, into the `data` object the exporter writes for it, and compared member
     by member with the line's `data`; for a user's type whose payload is JSON, the payload
     parsed must equal `data`; for a user's type with a binary codec, `payload` must be the
     payload bytes;
  6. a head seal on the line, when there is one: its shape, and with --key its HMAC-SHA256.
With --head it also checks the last chainHash against a head obtained elsewhere (`ledger stats`
or `ledger verify` on the live ledger, or a sealed copy).

What is proved, and what is only bound by consistency. The chain proves that the canonical bytes
are the ones hashed; the checks above prove that every readable field says what those bytes
say. Two names are not in the bytes: the v1 envelope stores a 4-byte type tag and an 8-byte
stream key, not the type and stream names. Those names are bound only by one-to-one consistency
across the export (a tag always shows the same type name and a name always the same tag; the
same for stream keys and stream names), by the payload layout (a built-in type's payload must
decode as that type, to the line's `data`), and, for mentorship streams, by the MentorshipStarted
payload, which carries the mentorship id its stream must be named after. Someone who renames a
type or a stream consistently throughout an export, to a name whose layout the payloads also
fit, is not caught. Lines of a user's type with a binary codec are chained and their payload
bytes proved, but their meaning is not: they are counted as unverifiable-but-chained. Without
--key a seal's shape is checked and its MAC is not.

The first fault is printed as
    FAULT at line L, position P, field F: <what the bytes say> / <what the line says>
and the exit status is 1. On success it prints one line starting `chain intact:` and exits 0.
Exit status 2 is a usage error (bad arguments, an unreadable file or key).

The format is described in Docs/ExportFormat.md.
"""
import argparse
import csv
import hashlib
import hmac
import io
import json
import math
import re
import struct
import sys

HEADER_SIZE = 116
GENESIS = bytes(32)
FORMAT_VERSION = 1
KNOWN_FLAGS = 0x07
SEAL_LABEL = b"AccountabilityLedger head seal v1"
SEAL_KEY_MINIMUM = 16
MENTORSHIP_PREFIX = "mentorship/"

# The envelope: version, flags, schema version, type tag, position, stream key, revision, id,
# recorded-at, occurred-at, actor, correlation id, causation id, payload length.
ENVELOPE = struct.Struct("<BBHIQQQ16sqq16s16s16sI")
assert ENVELOPE.size == HEADER_SIZE
U16 = struct.Struct("<H")
U32 = struct.Struct("<I")
I64 = struct.Struct("<q")
U64 = struct.Struct("<Q")
F64 = struct.Struct("<d")

CSV_COLUMNS = [
    "position", "stream", "revision", "type", "schemaVersion", "id", "recordedAt", "occurredAt",
    "actor", "correlationID", "causationID", "data", "previousHash", "chainHash", "canonical", "seal",
]
REQUIRED = [
    ("position", int), ("stream", str), ("revision", int), ("type", str), ("schemaVersion", int),
    ("id", str), ("recordedAt", str), ("occurredAt", str),
    ("previousHash", str), ("chainHash", str), ("canonical", str),
]
OPTIONAL_IDS = [("actor", 1, 64), ("correlationID", 2, 80), ("causationID", 4, 96)]
MEMBERS = {name for name, _ in REQUIRED} | {name for name, _, _ in OPTIONAL_IDS} | {"data", "payload", "seal"}

HEX32 = re.compile(r"[0-9a-fA-F]{32}")
JSON_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
RFC3339 = re.compile(
    r"([+-][0-9]{6}|[0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]+))?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))")
MISSING = object()


class Fault(Exception):
    """The first thing wrong with a line: the field, what the bytes say, what the line says."""

    def __init__(self, field, bytes_say, line_says):
        super().__init__(field)
        self.field, self.bytes_say, self.line_says = field, bytes_say, line_says
        self.position = None  # the line's position, when the line is not an object to read it from


def show(value):
    """A value as it would be written in JSON (shortened), or `absent`."""
    if value is MISSING:
        return "absent"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


# MARK: - JSON, UUIDs, times, hex

def _object(pairs):
    members = dict(pairs)
    if len(members) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"member {key!r} appears twice in one object")
            seen.add(key)
    return members


def _constant(name):
    raise ValueError(f"{name} is not JSON")


# RFC 8259 JSON: no NaN or Infinity, no repeated member.
parse_json = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_constant).decode


def uuid_text(raw):
    """16 UUID bytes as lowercase 8-4-4-4-12 text."""
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def is_uuid_text(text):
    """Whether `text` is 36 characters, 8-4-4-4-12 hexadecimal digits of either case."""
    return (len(text) == 36 and text[8] == text[13] == text[18] == text[23] == "-"
            and HEX32.fullmatch(text.replace("-", "")) is not None)


def same_uuid(expected, text):
    """Whether the line's `text` is the UUID `expected`, exactly as the exporter writes it (lowercase)."""
    return type(text) is str and text == expected


def from_hex(text, size=None):
    """The bytes spelled by hex digits (either case, nothing else), or None."""
    try:
        raw = bytes.fromhex(text)
    except (ValueError, TypeError):
        return None
    if len(raw) * 2 != len(text) or (size is not None and len(raw) != size):
        return None  # bytes.fromhex skips whitespace; the export has none
    return raw


def _civil(days):
    """The date `days` after 1970-01-01 as RFC 3339 text (Howard Hinnant's civil_from_days)."""
    shifted = days + 719_468
    era = shifted // 146_097
    day_of_era = shifted - era * 146_097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146_096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_index + 2) // 5 + 1
    month = month_index + 3 if month_index < 10 else month_index - 9
    year = year_of_era + era * 400 + (1 if month <= 2 else 0)
    if 0 <= year <= 9999:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{'-' if year < 0 else '+'}{min(abs(year), 999_999):06d}-{month:02d}-{day:02d}"


def _days(year, month, day):
    """Days from 1970-01-01 to a proleptic Gregorian date."""
    y = year - 1 if month <= 2 else year
    era = y // 400
    year_of_era = y - era * 400
    day_of_year = (153 * (month - 3 if month > 2 else month + 9) + 2) // 5 + day - 1
    return era * 146_097 + year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year - 719_468


_dates = {}


class TimeText(str):
    """An RFC 3339 time the exporter writes: compared with the line by its microsecond value."""


class UuidText(str):
    """A UUID as lowercase text: compared with the line by value (either case)."""


def time_text(micros):
    """Microseconds since the epoch as the exporter writes them: UTC, six fractional digits, Z."""
    days, rest = divmod(micros, 86_400_000_000)
    date = _dates.get(days)
    if date is None:
        if len(_dates) > 65_536:
            _dates.clear()
        date = _dates[days] = _civil(days)
    seconds, fraction = divmod(rest, 1_000_000)
    return TimeText(f"{date}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{fraction:06d}Z")


def parse_time(text):
    """Microseconds since the epoch of RFC 3339 text, as Timestamp(rfc3339:) reads it:
    YYYY-MM-DDTHH:MM:SS[.1 to 6 digits](Z|+HH:MM|-HH:MM), T and Z in either case, a year of 4
    digits or a sign and 6; real dates only, no leap second. Raises ValueError saying why not."""
    match = RFC3339.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError("not RFC 3339 (YYYY-MM-DDTHH:MM:SS[.ffffff]Z or an offset)")
    year, month, day, hour, minute, second, fraction, sign, offset_hour, offset_minute = match.groups()
    year, month, day = int(year), int(month), int(day)
    hour, minute, second = int(hour), int(minute), int(second)
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 01-12")
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    length = 29 if month == 2 and leap else 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31
    if not 1 <= day <= length:
        raise ValueError(f"day {day} is not in month {month} of {year}")
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError("the time of day is out of range (no leap seconds)")
    micros = 0
    if fraction is not None:
        if len(fraction) > 6:
            raise ValueError("a fraction of more than 6 digits is finer than a microsecond")
        micros = int(fraction.ljust(6, "0"))
    offset = 0
    if sign is not None:
        if int(offset_hour) > 23 or int(offset_minute) > 59:
            raise ValueError("the offset is out of range")
        offset = (int(offset_hour) * 3600 + int(offset_minute) * 60) * (-1 if sign == "-" else 1)
    value = (_days(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset) * 1_000_000 + micros
    if not -(1 << 63) <= value < (1 << 63):
        raise ValueError("outside the range of a 64-bit microsecond time")
    return value


def same_time(expected, text):
    """Whether the line's `text` is the time `expected`, exactly as the exporter writes it."""
    return type(text) is str and text == expected


def time_note(text):
    """Why the line's time text is not a time, or ''."""
    try:
        parse_time(text)
        return ""
    except ValueError as error:
        return f" ({error})"


# MARK: - Payloads

class PayloadError(Exception):
    """A payload that does not decode for its type."""

    def __init__(self, offset, reason):
        super().__init__(f"at payload byte {offset}: {reason}")


class ByteReader:
    """Reads the primitives EventPayloadWriter writes: little-endian integers, UUIDs (16 bytes),
    times (Int64 microseconds), strings (UInt32 byte count + UTF-8), Bool (one byte 0 or 1),
    Double (IEEE 754 bits as UInt64), optionals (presence byte 0 or 1, then the value) and
    arrays (UInt32 count, then the elements)."""

    __slots__ = ("data", "at")

    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, count, what):
        start = self.at
        if count > len(self.data) - start:
            raise PayloadError(start, f"the payload ends before {what} ({count} bytes needed, {len(self.data) - start} left)")
        self.at = start + count
        return start

    def u8(self, what):
        return self.data[self.take(1, what)]

    def u16(self, what):
        return U16.unpack_from(self.data, self.take(2, what))[0]

    def u32(self, what):
        return U32.unpack_from(self.data, self.take(4, what))[0]

    def uuid(self, what):
        start = self.take(16, what)
        return UuidText(uuid_text(self.data[start:start + 16]))

    def time(self, what):
        return time_text(I64.unpack_from(self.data, self.take(8, what))[0])

    def double(self, what):
        value = F64.unpack_from(self.data, self.take(8, what))[0]
        return value if math.isfinite(value) else None  # the exporter writes NaN and infinities as null

    def boolean(self, what):
        at = self.at
        value = self.u8(what)
        if value > 1:
            raise PayloadError(at, f"{what} is a Bool, which must be 0 or 1, found {value}")
        return value == 1

    def string(self, what):
        count = self.u32(what)
        start = self.take(count, f"{what} ({count} bytes)")
        try:
            return self.data[start:start + count].decode("utf-8")
        except UnicodeDecodeError:
            raise PayloadError(start, f"{what} is not valid UTF-8") from None

    def optional(self, read, what):
        at = self.at
        presence = self.u8(what)
        if presence > 1:
            raise PayloadError(at, f"{what}: an optional's presence byte must be 0 or 1, found {presence}")
        return read(what) if presence else MISSING

    def uuids(self, what):
        at = self.at
        count = self.u32(what)
        if count > (len(self.data) - self.at) // 16:
            raise PayloadError(at, f"{what} claims {count} UUIDs but only {len(self.data) - self.at} bytes are left")
        return [self.uuid(what) for _ in range(count)]

    def choice(self, names, what):
        at = self.at
        code = self.u8(what)
        if code not in names:
            raise PayloadError(at, f"{what} has unknown code {code}")
        return names[code]

    def end(self, type_name):
        if self.at != len(self.data):
            raise PayloadError(self.at, f"{len(self.data) - self.at} unexpected trailing bytes after a {type_name} payload")


# One-byte enum codes (MentorshipEnums.swift), written in `data` by case name.
ENDED_BY = {1: "mentor", 2: "mentee", 3: "admin", 4: "system"}
END_REASON = {1: "completed", 2: "early", 3: "inactivity", 4: "badFit"}
ABSENT_PARTY = {1: "mentor", 2: "mentee", 3: "both"}
NUDGE_RULE = {1: "firstSessionOverdue", 2: "noRecentSession", 3: "taskOverdue", 4: "goalDeadlineAtRisk",
              5: "feedbackMissing", 6: "noShowStreak", 7: "lowRating", 8: "inactive"}


def members(*pairs):
    """A `data` object from (name, value) pairs, leaving out absent optionals."""
    return {name: value for name, value in pairs if value is not MISSING}


# One decoder per built-in type: (reader, schema version) -> the `data` object the exporter
# writes (InterchangeDataEncoder): members in order, absent optionals left out, enums by name,
# UUIDs lowercase, times RFC 3339 UTC with six fractional digits.

def mentorship_started(r, version):
    r.uuid("mentorship")  # the stream's id (checked against the stream name), not in `data`
    return members(("mentor", r.uuid("mentor")), ("mentee", r.uuid("mentee")), ("program", r.uuid("program")),
                   ("cadenceDays", r.u16("cadenceDays")), ("plannedEnd", r.optional(r.time, "plannedEnd")))


def mentorship_paused(r, version):
    return members(("reason", r.string("reason")), ("until", r.optional(r.time, "until")))


def mentorship_resumed(r, version):
    return {}


def mentorship_ended(r, version):
    return members(("endedBy", r.choice(ENDED_BY, "endedBy")), ("reason", r.choice(END_REASON, "reason")))


def goal_set(r, version):
    goal, owner, title = r.uuid("goal"), r.uuid("owner"), r.string("title")
    metric = members(("name", r.string("metric.name")), ("unit", r.string("metric.unit")),
                     ("baseline", r.double("metric.baseline")), ("target", r.double("metric.target")))
    return members(("goal", goal), ("owner", owner), ("title", title), ("metric", metric),
                   ("mentorAgreed", r.boolean("mentorAgreed")), ("rationale", r.string("rationale")),
                   ("deadline", r.time("deadline")))


def goal_revised(r, version):
    return members(("goal", r.uuid("goal")), ("reason", r.string("reason")),
                   ("target", r.optional(r.double, "target")), ("deadline", r.optional(r.time, "deadline")))


def goal_progress_recorded(r, version):
    return members(("goal", r.uuid("goal")), ("value", r.double("value")), ("note", r.optional(r.string, "note")))


def goal_achieved(r, version):
    return members(("goal", r.uuid("goal")), ("finalValue", r.optional(r.double, "finalValue")))


def goal_abandoned(r, version):
    return members(("goal", r.uuid("goal")), ("reason", r.string("reason")))


def session_scheduled(r, version):
    return members(("session", r.uuid("session")), ("scheduledFor", r.time("scheduledFor")),
                   ("plannedMinutes", r.u16("plannedMinutes")))


def session_held(r, version):
    data = members(("session", r.uuid("session")), ("minutes", r.u16("minutes")), ("attendees", r.uuids("attendees")))
    goals = r.uuids("goals") if version >= 2 else []  # v1 had no goals
    if goals:
        data["goals"] = goals  # written only when there are some
    return data


def session_cancelled(r, version):
    return members(("session", r.uuid("session")), ("cancelledBy", r.uuid("cancelledBy")), ("reason", r.string("reason")))


def session_missed(r, version):
    return members(("session", r.uuid("session")), ("absent", r.choice(ABSENT_PARTY, "absent")))


def task_assigned(r, version):
    return members(("task", r.uuid("task")), ("assignee", r.uuid("assignee")), ("due", r.time("due")),
                   ("goal", r.optional(r.uuid, "goal")))


def task_completed(r, version):
    return members(("task", r.uuid("task")), ("evidence", r.optional(r.string, "evidence")))


def task_cancelled(r, version):
    return members(("task", r.uuid("task")), ("reason", r.string("reason")))


def feedback_given(r, version):
    return members(("from", r.uuid("from")), ("to", r.uuid("to")), ("rating", r.u8("rating")),
                   ("session", r.optional(r.uuid, "session")), ("comment", r.optional(r.string, "comment")))


def nudge_sent(r, version):
    return members(("rule", r.choice(NUDGE_RULE, "rule")), ("subject", r.uuid("subject")), ("recipient", r.uuid("recipient")))


# The 18 built-in types (AccountabilityEvent.allTypes): name -> (newest schema version, decoder).
BUILT_IN = {
    "MentorshipStarted": (1, mentorship_started),
    "MentorshipPaused": (1, mentorship_paused),
    "MentorshipResumed": (1, mentorship_resumed),
    "MentorshipEnded": (1, mentorship_ended),
    "GoalSet": (1, goal_set),
    "GoalRevised": (1, goal_revised),
    "GoalProgressRecorded": (1, goal_progress_recorded),
    "GoalAchieved": (1, goal_achieved),
    "GoalAbandoned": (1, goal_abandoned),
    "SessionScheduled": (1, session_scheduled),
    "SessionHeld": (2, session_held),
    "SessionCancelled": (1, session_cancelled),
    "SessionMissed": (1, session_missed),
    "TaskAssigned": (1, task_assigned),
    "TaskCompleted": (1, task_completed),
    "TaskCancelled": (1, task_cancelled),
    "FeedbackGiven": (1, feedback_given),
    "NudgeSent": (1, nudge_sent),
}


# MARK: - Comparing `data`

def same(expected, actual):
    """Whether the line's value is the decoded one: UUIDs and times by value, integers only as
    JSON integers, doubles by exact value (never a bool), the rest exactly."""
    kind = type(expected)
    if kind is UuidText:
        return same_uuid(expected, actual)
    if kind is TimeText:
        return same_time(expected, actual)
    if kind is str or kind is int or kind is bool:
        return type(actual) is kind and actual == expected
    if kind is float:
        return ((type(actual) is float or type(actual) is int) and actual == expected
                and (expected != 0 or math.copysign(1.0, actual) == math.copysign(1.0, expected)))
    if expected is None:
        return actual is None
    if kind is list:
        return type(actual) is list and len(actual) == len(expected) and all(map(same, expected, actual))
    if kind is dict:
        return (type(actual) is dict and len(actual) == len(expected)
                and all(same(value, actual.get(key, MISSING)) for key, value in expected.items()))
    return False


def compare_data(expected, actual, path):
    """Faults the first member of the line's object `actual` that differs from `expected`."""
    if type(actual) is not dict:
        raise Fault(path, show(expected), show(actual))
    for key, value in expected.items():
        found = actual.get(key, MISSING)
        if not same(value, found):
            if type(value) is dict and type(found) is dict:
                compare_data(value, found, f"{path}.{key}")
            note = time_note(found) if type(value) is TimeText and type(found) is str else ""
            raise Fault(f"{path}.{key}", show(value), show(found) + note)
    if len(actual) != len(expected):
        for key, value in actual.items():
            if key not in expected:
                raise Fault(f"{path}.{key}", "absent", show(value))


def same_json(a, b):
    """Whether the line's JSON `b` is the payload's `a`: an integer only as an integer, another
    number by value (the sign of a zero too), a bool never a number, strings exactly, objects by
    the same members in any order."""
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if ta is int:
        return tb is int and a == b
    if ta is float:
        return ((tb is float or tb is int) and a == b
                and (a != 0 or math.copysign(1.0, a) == math.copysign(1.0, b)))
    if ta is not tb:
        return False
    if ta is list:
        return len(a) == len(b) and all(map(same_json, a, b))
    if ta is dict:
        return a.keys() == b.keys() and all(same_json(value, b[key]) for key, value in a.items())
    return a == b


def compare_json(expected, actual, path):
    """Faults the first member where the line's JSON `actual` differs from the payload's."""
    if same_json(expected, actual):
        return
    if type(expected) is dict and type(actual) is dict:
        for key, value in expected.items():
            found = actual.get(key, MISSING)
            if found is MISSING or not same_json(value, found):
                if found is not MISSING:
                    compare_json(value, found, f"{path}.{key}")
                raise Fault(f"{path}.{key}", show(value), show(found))
        for key, value in actual.items():
            if key not in expected:
                raise Fault(f"{path}.{key}", "absent", show(value))
    raise Fault(path, show(expected), show(actual))


# MARK: - Reading lines

def ndjson_lines(handle):
    """(line number, line object) for every line that is not blank."""
    for number, raw in enumerate(handle, start=1):
        if raw.endswith(b"\n"):
            raw = raw[:-1]
            if raw.endswith(b"\r"):
                raw = raw[:-1]
        elif raw.endswith(b"\r"):
            raw = raw[:-1]
        if not raw.strip(b" \t"):
            continue
        try:
            value = parse_json(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            yield number, Fault("line", "UTF-8 text", f"bytes that are not UTF-8 ({error.reason} at byte {error.start})")
            return
        except (ValueError, RecursionError) as error:
            yield number, Fault("line", "one JSON object", f"text that is not JSON ({error})")
            return
        yield number, value


def line_object(value):
    """Checks the shape of a parsed NDJSON line (step 1); returns it."""
    if type(value) is not dict:
        raise Fault("line", "one JSON object", f"{type(value).__name__} {show(value)}")
    for key in value:
        if key not in MEMBERS:
            raise Fault("line", "the export's members only", f"an unknown member {show(key)}")
    for key, kind in REQUIRED:
        found = value.get(key, MISSING)
        if found is MISSING:
            raise Fault("line", f"a member {show(key)}", "none")
        if type(found) is not kind:
            raise Fault(key, "a JSON integer" if kind is int else "a string", show(found))
    for key, _, _ in OPTIONAL_IDS:
        found = value.get(key, MISSING)
        if found is not MISSING and type(found) is not str:
            raise Fault(key, "a UUID string", show(found))
    if ("data" in value) == ("payload" in value):
        raise Fault("line", "exactly one of the members \"data\" and \"payload\"", "both" if "data" in value else "neither")
    if value["type"] in BUILT_IN:
        if "payload" in value:
            raise Fault("line", f"a member \"data\" ({value['type']} is a built-in type)", "a member \"payload\"")
        if type(value["data"]) is not dict:
            raise Fault("data", "an object", show(value["data"]))
    elif "payload" in value and type(value["payload"]) is not str:
        raise Fault("payload", "a string of hex digits", show(value["payload"]))
    seal = value.get("seal", MISSING)
    if seal is not MISSING and type(seal) is not dict:
        raise Fault("seal", "an object (ledgerID, sealedAt, mac)", show(seal))
    return value


def csv_lines(handle):
    """(line number, line object) for every CSV record: the cells read into the members of an
    NDJSON line (step 1 for CSV). The line number is that of the record's first physical line."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as error:
        yield 1, Fault("line", "a CSV header", f"unreadable text ({error})")
        return
    if header is None:
        return
    if header not in (CSV_COLUMNS, CSV_COLUMNS[:-1]):
        yield 1, Fault("line", "the header " + ",".join(CSV_COLUMNS) + " (seal optional)", ",".join(header)[:200])
        return
    while True:
        number = reader.line_num + 1
        try:
            record = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as error:
            yield number, Fault("line", "an RFC 4180 record of UTF-8 text", f"unreadable text ({error})")
            return
        if record is None:
            return
        if len(record) != len(header):
            if record == [] or record == [""]:
                continue  # a blank line
            yield number, Fault("line", f"{len(header)} fields", f"{len(record)} fields")
            return
        cells = dict(zip(header, record))
        try:
            yield number, csv_object(cells)
        except Fault as fault:
            if JSON_INTEGER.fullmatch(cells["position"]):
                fault.position = int(cells["position"])
            yield number, fault
            return


def csv_integer(cells, key):
    cell = cells[key]
    if JSON_INTEGER.fullmatch(cell) is None:
        raise Fault(key, "a JSON integer", show(cell))
    return int(cell)


def csv_object(cells):
    line = {key: cells[key] for key in ("stream", "type", "id", "recordedAt", "occurredAt", "previousHash", "chainHash", "canonical")}
    for key in ("position", "revision", "schemaVersion"):
        line[key] = csv_integer(cells, key)
    for key, _, _ in OPTIONAL_IDS:
        if cells[key]:
            line[key] = cells[key]
    cell = cells["data"]
    try:
        data = parse_json(cell)
    except (ValueError, RecursionError) as error:
        data, reason = MISSING, str(error)
    if line["type"] in BUILT_IN:
        if type(data) is not dict:
            raise Fault("data", "the JSON text of an object", show(cell) + (f" (not JSON: {reason})" if data is MISSING else ""))
        line["data"] = data
    elif type(data) is dict:
        line["data"] = data
    elif from_hex(cell) is not None:
        line["payload"] = cell  # a binary payload in hex (the empty cell too: an empty payload)
    elif data is not MISSING:
        line["data"] = data
    else:
        raise Fault("data", "the JSON text of the payload, or its bytes in hex", show(cell))
    if cells.get("seal"):
        try:
            seal = parse_json(cells["seal"])
        except (ValueError, RecursionError) as error:
            raise Fault("seal", "the JSON text of an object (ledgerID, sealedAt, mac)", f"{show(cells['seal'])} (not JSON: {error})") from None
        if type(seal) is not dict:
            raise Fault("seal", "an object (ledgerID, sealedAt, mac)", show(seal))
        line["seal"] = seal
    return line


# MARK: - Checking lines

class Verifier:
    """The state carried from line to line: the chain, the name bindings and the counts."""

    def __init__(self, key):
        self.key = key
        self.previous_hash = None  # chain hash of the line before (bytes)
        self.previous_line = None
        self.expected_position = None
        self.first_position = None
        self.count = 0
        self.unverifiable = 0
        self.seals = 0
        self.type_of_tag = {}  # tag -> (type name, line)
        self.tag_of_type = {}  # type name -> (tag, line)
        self.stream_of_key = {}  # stream key -> (stream name, line)
        self.key_of_stream = {}  # stream name -> (stream key, line)
        self.mentorship_streams = set()  # stream names checked to be mentorship/<lowercase uuid>

    def check(self, number, line):
        """Checks one line (steps 2 to 6); raises Fault."""
        position = line["position"]

        # 2. The chain.
        if self.expected_position is not None:
            if position != self.expected_position:
                raise Fault("position", f"{self.expected_position} (line {self.previous_line} was position {self.expected_position - 1})", show(position))
        elif position < 1:
            raise Fault("position", "a position of at least 1", show(position))
        previous = from_hex(line["previousHash"], 32)
        if previous is None:
            raise Fault("previousHash", "64 hex digits", show(line["previousHash"]))
        if self.previous_hash is not None:
            if previous != self.previous_hash:
                raise Fault("previousHash", f"{self.previous_hash.hex()} (the chainHash of line {self.previous_line})", show(line["previousHash"]))
        elif position == 1 and previous != GENESIS:
            raise Fault("previousHash", "64 zeros (position 1 follows the genesis hash)", show(line["previousHash"]))
        chain = from_hex(line["chainHash"], 32)
        if chain is None:
            raise Fault("chainHash", "64 hex digits", show(line["chainHash"]))
        canonical = from_hex(line["canonical"])
        if canonical is None:
            raise Fault("canonical", "hex digits", show(line["canonical"]))
        digest = hashlib.sha256(previous + canonical).digest()
        if digest != chain:
            raise Fault("chainHash", f"{digest.hex()} = SHA-256(previousHash || canonical)", show(line["chainHash"]))

        # 3. The envelope.
        if len(canonical) < HEADER_SIZE:
            raise Fault("canonical", f"{len(canonical)} bytes", f"at least the {HEADER_SIZE}-byte envelope")
        (version, flags, schema, tag, stored_position, stream_key, revision, event_id, recorded_at, occurred_at,
         actor, correlation, causation, payload_length) = ENVELOPE.unpack_from(canonical)
        if version != FORMAT_VERSION:
            raise Fault("canonical", f"envelope format version {version}", f"a version-{FORMAT_VERSION} envelope")
        if flags & ~KNOWN_FLAGS:
            raise Fault("canonical", f"flags 0x{flags:02x}", "flags within 0x07 (actor, correlation id, causation id)")
        if payload_length != len(canonical) - HEADER_SIZE:
            raise Fault("canonical", f"a {payload_length}-byte payload declared", f"{len(canonical) - HEADER_SIZE} bytes after the envelope")
        if stored_position != position:
            raise Fault("position", str(stored_position), show(position))
        if revision != line["revision"]:
            raise Fault("revision", str(revision), show(line["revision"]))
        if schema != line["schemaVersion"]:
            raise Fault("schemaVersion", str(schema), show(line["schemaVersion"]))
        expected = uuid_text(event_id)
        if not same_uuid(expected, line["id"]):
            raise Fault("id", show(expected), show(line["id"]))
        for key, micros in (("recordedAt", recorded_at), ("occurredAt", occurred_at)):
            expected = time_text(micros)
            if not same_time(expected, line[key]):
                raise Fault(key, show(expected), show(line[key]) + time_note(line[key]))
        for (key, bit, offset), raw in zip(OPTIONAL_IDS, (actor, correlation, causation)):
            found = line.get(key, MISSING)
            if flags & bit:
                expected = uuid_text(raw)
                if not same_uuid(expected, found):
                    raise Fault(key, show(expected), show(found))
            else:
                if found is not MISSING:
                    raise Fault(key, f"absent (flag bit {bit.bit_length() - 1} clear)", show(found))
                if raw != bytes(16):
                    raise Fault("canonical", f"bytes {offset}-{offset + 15} hold {raw.hex()} though the flags say no {key}", "absent")

        # 4. Type and stream names: one-to-one with the stored tag and key across the export.
        type_name, stream = line["type"], line["stream"]
        bound = self.type_of_tag.get(tag)
        if bound is None:
            other = self.tag_of_type.get(type_name)
            if other is not None:
                raise Fault("type", f"type tag {tag}, but line {other[1]} gave {show(type_name)} tag {other[0]}", show(type_name))
            self.type_of_tag[tag] = (type_name, number)
            self.tag_of_type[type_name] = (tag, number)
        elif bound[0] != type_name:
            raise Fault("type", f"type tag {tag}, which line {bound[1]} named {show(bound[0])}", show(type_name))
        bound = self.stream_of_key.get(stream_key)
        if bound is None:
            other = self.key_of_stream.get(stream)
            if other is not None:
                raise Fault("stream", f"stream key {stream_key}, but line {other[1]} gave {show(stream)} stream key {other[0]}", show(stream))
            self.stream_of_key[stream_key] = (stream, number)
            self.key_of_stream[stream] = (stream_key, number)
        elif bound[0] != stream:
            raise Fault("stream", f"stream key {stream_key}, which line {bound[1]} named {show(bound[0])}", show(stream))
        payload = canonical[HEADER_SIZE:]
        built_in = BUILT_IN.get(type_name)
        if built_in is not None:
            if stream not in self.mentorship_streams:
                name = stream[len(MENTORSHIP_PREFIX):]
                if not (stream.startswith(MENTORSHIP_PREFIX) and is_uuid_text(name) and name == name.lower()):
                    raise Fault("stream", f"a {type_name}, which belongs on a stream mentorship/<lowercase uuid>", show(stream))
                self.mentorship_streams.add(stream)
            if type_name == "MentorshipStarted" and len(payload) >= 16:
                expected = MENTORSHIP_PREFIX + uuid_text(payload[:16])
                if stream != expected:
                    raise Fault("stream", f"{show(expected)} (the mentorship id in the MentorshipStarted payload)", show(stream))

        # 5. The payload.
        if built_in is not None:
            newest, decode = built_in
            if not 1 <= schema <= newest:
                raise Fault("type", f"a payload of schema version {schema}, which {type_name} does not have (1 to {newest})", show(type_name))
            reader = ByteReader(payload)
            try:
                data = decode(reader, schema)
                reader.end(type_name)
            except PayloadError as error:
                raise Fault("type", f"a payload that does not decode as {type_name} v{schema} ({error})", show(type_name)) from None
            compare_data(data, line["data"], "data")
        elif "data" in line:
            try:
                data = parse_json(payload.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError) as error:
                raise Fault("data", f"a payload that is not UTF-8 JSON ({error})", "a data member") from None
            compare_json(data, line["data"], "data")
        else:
            shown = from_hex(line["payload"])
            if shown != payload:
                raise Fault("payload", show(payload.hex()), show(line["payload"]))
            self.unverifiable += 1

        # 6. The seal.
        seal = line.get("seal")
        if seal is not None:
            self.check_seal(seal, position, chain)

        self.previous_hash, self.previous_line, self.expected_position = chain, number, position + 1
        if self.first_position is None:
            self.first_position = position
        self.count += 1

    def check_seal(self, seal, position, chain):
        if set(seal) != {"ledgerID", "sealedAt", "mac"}:
            raise Fault("seal", "the members ledgerID, sealedAt and mac", show(sorted(seal)))
        ledger_id, sealed_at, mac = seal["ledgerID"], seal["sealedAt"], seal["mac"]
        if type(ledger_id) is not str or not is_uuid_text(ledger_id):
            raise Fault("seal", "a ledgerID UUID", show(ledger_id))
        try:
            micros = parse_time(sealed_at)
        except ValueError as error:
            raise Fault("seal", "a sealedAt RFC 3339 time", f"{show(sealed_at)} ({error})") from None
        mac_bytes = from_hex(mac, 32) if type(mac) is str else None
        if mac_bytes is None:
            raise Fault("seal", "a mac of 64 hex digits", show(mac))
        if self.key is not None:
            message = SEAL_LABEL + bytes.fromhex(ledger_id.replace("-", "")) + U64.pack(position) + chain + I64.pack(micros)
            expected = hmac.new(self.key, message, hashlib.sha256).digest()
            if not hmac.compare_digest(expected, mac_bytes):
                raise Fault("seal", f"{expected.hex()} = HMAC-SHA256 under the key", show(mac))
        self.seals += 1


# MARK: - Command line

def read_key(path):
    """The seal key in `path`, read as SealKey(contentsOf:) reads it: trailing line breaks and
    spaces dropped, then hex digits (an even number) decoded, otherwise the bytes as they are."""
    with open(path, "rb") as handle:
        raw = handle.read()
    raw = raw.rstrip(b"\r\n ")
    if raw and len(raw) % 2 == 0 and re.fullmatch(rb"[0-9a-fA-F]+", raw):
        raw = bytes.fromhex(raw.decode("ascii"))
    if len(raw) < SEAL_KEY_MINIMUM:
        raise ValueError(f"a seal key needs at least {SEAL_KEY_MINIMUM} bytes; this one has {len(raw)}")
    return raw


def main(argv):
    parser = argparse.ArgumentParser(
        prog="verify_export.py",
        description="Verify an AccountabilityLedger export: the hash chain, and every readable field against its canonical bytes.")
    parser.add_argument("export", metavar="EXPORT", help="an NDJSON or CSV export (ledger export), or - for standard input")
    parser.add_argument("--head", metavar="HASH", help="the expected chainHash of the last line (64 hex digits)")
    parser.add_argument("--key", metavar="FILE", help="the seal key file, to check the seals' MACs")
    parser.add_argument("--format", choices=("ndjson", "csv"), help="the export's format (default: by name and content)")
    args = parser.parse_args(argv[1:])
    if args.head is not None and from_hex(args.head, 32) is None:
        parser.error("--head needs a chain hash of 64 hex digits")
    key = None
    if args.key is not None:
        try:
            key = read_key(args.key)
        except (OSError, ValueError) as error:
            print(f"verify_export.py: the seal key cannot be used: {error}", file=sys.stderr)
            return 2
    try:
        handle = open(sys.stdin.fileno(), "rb", closefd=False) if args.export == "-" else open(args.export, "rb")
    except OSError as error:
        print(f"verify_export.py: the export cannot be read: {error}", file=sys.stderr)
        return 2
    sys.stdout.reconfigure(errors="backslashreplace")
    with handle:
        kind = args.format
        if kind is None:
            kind = "csv" if args.export.lower().endswith(".csv") or handle.peek(9).startswith(b"position,") else "ndjson"
        lines = csv_lines(handle) if kind == "csv" else ndjson_lines(handle)
        verifier = Verifier(key)
        number, line = 0, None
        for number, line in lines:
            try:
                if isinstance(line, Fault):
                    raise line
                if kind == "ndjson":
                    line = line_object(line)
                verifier.check(number, line)
            except Fault as fault:
                position = line.get("position") if type(line) is dict else fault.position
                shown = position if type(position) is int else "?"
                print(f"FAULT at line {number}, position {shown}, field {fault.field}: {fault.bytes_say} / {fault.line_says}")
                return 1
    if verifier.count == 0:
        print("FAULT: the export holds no events")
        return 1
    head = verifier.previous_hash.hex()
    if args.head is not None and head != args.head.lower():
        print(f"FAULT at line {number}, position {verifier.expected_position - 1}, field chainHash: {args.head.lower()} (the head given with --head) / {show(line['chainHash'])}")
        return 1
    print(f"chain intact: {verifier.count} events, positions {verifier.first_position}-{verifier.expected_position - 1}, head {head}; "
          f"every readable field matches its canonical bytes ({verifier.unverifiable} events of user types with binary payloads "
          f"are chained but their fields unverifiable; {verifier.seals} seals {'checked' if key is not None else 'unchecked'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
