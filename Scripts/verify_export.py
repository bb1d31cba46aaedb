#!/usr/bin/env python3
"""Recompute an AccountabilityLedger hash chain from an export alone, with Python's hashlib.

    python3 Scripts/verify_export.py export.ndjson [--head HASH]
    python3 Scripts/verify_export.py export.csv    [--head HASH]

For every line, in order, it checks that:
  - positions follow each other with no gap, and previousHash is the chainHash of the line before
    (64 zeros before position 1);
  - chainHash == SHA-256(previousHash bytes || canonical bytes);
  - the canonical bytes (the stored envelope and payload) hold the position, revision, event id,
    recorded-at and occurred-at that the line shows, and a payload of the length they declare.
With --head it also checks the last chain hash against a head obtained elsewhere (for example
from `ledger stats` or `ledger verify` on the live ledger, or a sealed copy).

Exit status 0 when everything holds; 1 with the first faulty line and position named otherwise.
"""
import csv
import datetime
import hashlib
import json
import struct
import sys
import uuid

HEADER_SIZE = 116
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def micros(text):
    """Microseconds since the epoch of an RFC 3339 time such as 2026-03-01T15:00:00.000000Z."""
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    delta = moment - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def rows(path):
    if path.endswith(".csv"):
        with open(path, newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                row["position"] = int(row["position"])
                row["revision"] = int(row["revision"])
                yield number, row
    else:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, json.loads(line)


def check(row, previous_hash, expected_position):
    """The first thing wrong with one exported event, or None."""
    position = row["position"]
    if expected_position is not None and position != expected_position:
        return f"position {position} follows position {expected_position - 1}: a gap or a reordering"
    if previous_hash is not None and row["previousHash"] != previous_hash:
        return "previousHash is not the chainHash of the line before"
    if expected_position is None and position == 1 and row["previousHash"] != "0" * 64:
        return "position 1 must follow the genesis hash (64 zeros)"
    canonical = bytes.fromhex(row["canonical"])
    digest = hashlib.sha256(bytes.fromhex(row["previousHash"]) + canonical).hexdigest()
    if digest != row["chainHash"]:
        return f"chainHash does not match: SHA-256(previousHash || canonical) is {digest}"
    if len(canonical) < HEADER_SIZE:
        return f"canonical holds {len(canonical)} bytes, fewer than the {HEADER_SIZE}-byte envelope"
    stored_position, = struct.unpack_from("<Q", canonical, 8)
    revision, = struct.unpack_from("<Q", canonical, 24)
    event_id = uuid.UUID(bytes=canonical[32:48])
    recorded_at, occurred_at = struct.unpack_from("<qq", canonical, 48)
    payload_length, = struct.unpack_from("<I", canonical, 112)
    if stored_position != position:
        return f"the hashed envelope says position {stored_position}"
    if revision != row["revision"]:
        return f"the hashed envelope says revision {revision}, the line {row['revision']}"
    if str(event_id) != row["id"]:
        return f"the hashed envelope says id {event_id}, the line {row['id']}"
    if recorded_at != micros(row["recordedAt"]):
        return f"the hashed envelope says recorded-at {recorded_at} µs, the line {row['recordedAt']}"
    if occurred_at != micros(row["occurredAt"]):
        return f"the hashed envelope says occurred-at {occurred_at} µs, the line {row['occurredAt']}"
    if HEADER_SIZE + payload_length != len(canonical):
        return f"the envelope declares a {payload_length}-byte payload; canonical holds {len(canonical) - HEADER_SIZE}"
    return None


def main(argv):
    args = argv[1:]
    head = None
    if "--head" in args:
        index = args.index("--head")
        if index + 1 >= len(args):
            print("--head needs a hash", file=sys.stderr)
            return 2
        head = args[index + 1].lower()
        del args[index:index + 2]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    previous_hash, expected_position, count, first = None, None, 0, None
    try:
        for number, row in rows(args[0]):
            fault = check(row, previous_hash, expected_position)
            if fault:
                print(f"FAULT at line {number}, position {row.get('position')}: {fault}")
                return 1
            first = row["position"] if first is None else first
            previous_hash, expected_position = row["chainHash"], row["position"] + 1
            count += 1
    except (ValueError, KeyError, TypeError, struct.error) as error:
        print(f"FAULT: the export cannot be read: {error!r}")
        return 1
    if count == 0:
        print("FAULT: the export holds no events")
        return 1
    if head is not None and previous_hash != head:
        print(f"FAULT: the last chain hash {previous_hash} is not the expected head {head}")
        return 1
    print(f"chain intact: {count} events, positions {first}-{expected_position - 1}, head {previous_hash}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
