"""Writes the PII detector's held-out corpus
(Tests/FrontierRoutingTests/Resources/pii-heldout.jsonl): whole chat requests,
not snippets, from a different generator than the tuning corpus
(scripts/make-pii-corpus.py): values from Faker (PyPI, MIT) in nine locales,
templates of its own, the value placed in any field a request sends (system
prompt, a tool call's arguments, a tool's description, `user`, a message's
`name`, an image URL's query, a text data URL, a file part, the
response_format schema, split across two messages or wrapped onto the next
line), and written the ways pasted text writes it (no-break spaces, fullwidth
digits, en dashes, zero-width spaces and soft hyphens inside the value, lower
case). Negatives: benign text in the same places. The detector is never tuned
on this file; `swift test --filter PIIHeldOutTests` reports on it.

Faker's checksummed identifiers are not always valid (its Aadhaar numbers
fail Verhoeff nine times in ten, its NI numbers use the never-issued prefix
ZZ): they are kept as Faker writes them, each in a sentence that names what
it is, as a person would.

Usage: pip install faker && python3 scripts/make-pii-heldout.py [SEED [OUT]]
"""
import base64
import json
import os
import random
import sys
import urllib.parse

from faker import Faker

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 90210
OUT_ARG = sys.argv[2] if len(sys.argv) > 2 else None
rng = random.Random(SEED)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = OUT_ARG or os.path.join(ROOT, "Tests/FrontierRoutingTests/Resources/pii-heldout.jsonl")
LOCALES = ["en_US", "en_GB", "en_CA", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "en_IN"]
fakers = {}
for n, locale in enumerate(LOCALES):
    fakers[locale] = Faker(locale)
    fakers[locale].seed_instance(SEED + n)


def fake(locale=None):
    return fakers[locale or rng.choice(LOCALES)]


def de_tax_id():
    while True:
        first = [rng.choice("123456789")] + [rng.choice("0123456789") for _ in range(9)]
        counts = {d: first.count(d) for d in set(first)}
        if sum(1 for c in counts.values() if c >= 2) != 1 or max(counts.values()) > 3:
            continue
        product = 10
        for d in first:
            total = (int(d) + product) % 10 or 10
            product = (total * 2) % 11
        number = "".join(first) + str((11 - product) % 10)
        return rng.choice([number, f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:]}"])


def secret():
    f = fake("en_US")
    return rng.choice([
        lambda: "sk-" + f.pystr(min_chars=40, max_chars=48),
        lambda: "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)),
        lambda: "ghp_" + f.pystr(min_chars=36, max_chars=36),
        lambda: f"password={f.password(length=14)}",
        lambda: f"api_key: {f.sha256()[:32]}",
        lambda: "xoxb-" + f.numerify("###########-############-") + f.pystr(min_chars=24, max_chars=24),
    ])()


def mrn():
    f = fake("en_US")
    return rng.choice([
        f"MRN {f.numerify('########')}", f"MRN: {f.numerify('#######')}", f"medical record no. {f.numerify('######')}",
        f"Medical Record Number {f.bothify('??######').upper()}", f"patient ID {f.numerify('#########')}", f"chart number {f.numerify('#######')}",
    ])


def dob():
    f = fake()
    d = f.date_of_birth(minimum_age=1, maximum_age=95)
    return rng.choice([d.strftime("%Y-%m-%d"), d.strftime("%m/%d/%Y"), d.strftime("%d.%m.%Y"), d.strftime("%B %d, %Y"), d.strftime("%d %B %Y")])


GENERATORS = {
    "email": (lambda: fake().email(), ["Send the results to {v}.", "my mail: {v}", "cc {v} on the reply", "Reach me via {v} please"]),
    "phone": (lambda: fake().phone_number(), ["Call the patient back on {v}.", "tel. {v}", "phone number {v}", "Please ring {v} after six"]),
    "national_id": (lambda: fake("en_US").ssn(), ["SSN {v}", "Social Security Number: {v}", "the applicant's SSN is {v}", "Verify SSN {v} against the W-2"]),
    "uk_national_insurance": (lambda: fake("en_GB").ssn(), ["NI number {v}", "National Insurance number: {v}", "her NINO is {v}", "NI no. {v} for payroll"]),
    "ca_social_insurance": (lambda: fake("en_CA").ssn(), ["SIN {v}", "Social Insurance Number: {v}", "his SIN is {v}", "enter SIN: {v} on the T4"]),
    "de_tax_id": (de_tax_id, ["Steuer-ID {v}", "steuerliche Identifikationsnummer: {v}", "tax id {v}", "Tax identification number {v}"]),
    "in_aadhaar": (lambda: fake("en_IN").aadhaar_id(), ["Aadhaar {v}", "Aadhaar number: {v}", "UID {v} for KYC", "my aadhaar is {v}"]),
    "credit_card": (lambda: fake().credit_card_number(), ["card {v}", "Card number: {v}", "charge {v} for the co-pay", "the Visa ending ... full number {v}"]),
    "iban": (lambda: fake(rng.choice(["de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "en_GB"])).iban(), ["IBAN {v}", "pay into {v}", "Bank account (IBAN): {v}", "refund to IBAN {v}"]),
    "date_of_birth": (dob, ["DOB {v}", "date of birth: {v}", "born {v}", "Patient's birth date {v}"]),
    "postal_address": (lambda: fake(rng.choice(["en_US", "en_GB", "en_CA", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL"])).address(),
                       ["Home address: {v}", "ship to {v}", "She lives at {v}", "Address on file:\n{v}"]),
    "ip_address": (lambda: rng.choice([fake().ipv4(), fake().ipv6()]), ["login from {v}", "client IP {v}", "blocked {v} at the firewall", "source address {v}"]),
    "secret": (secret, ["my key is {v}", "config: {v}", "use {v} to authenticate", "leaked credential {v}"]),
    "medical_record_number": (mrn, ["{v}, admitted Tuesday", "Discharge for {v}", "see {v} for the labs", "transfer {v} to ward 4"]),
    "person_name": (lambda: fake(rng.choice(["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "en_IN"])).name(),
                    ["Patient: {v}, 61, with shortness of breath", "Dear Dr. {v},", "Kind regards,\n{v}", "My name is {v}."]),
}

# Transformations per category: what can be written differently and still be the same value.
DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
TRANSFORMS = {
    "plain": lambda v: v,
    "nbsp": lambda v: v.replace(" ", "\u00a0"),
    "fullwidth": lambda v: v.translate(DIGITS),
    "endash": lambda v: v.replace("-", "\u2013"),
    "zero_width": lambda v: insert(v, "\u200b"),
    "soft_hyphen": lambda v: insert(v, "\u00ad"),
    "lowercase": lambda v: v.lower(),
}
APPLIES = {
    "nbsp": lambda c, v: " " in v and c not in ("person_name", "postal_address", "secret"),
    "fullwidth": lambda c, v: any(ch.isdigit() for ch in v) and c not in ("secret", "ip_address", "email"),
    "endash": lambda c, v: "-" in v and c in ("national_id", "phone", "credit_card", "de_tax_id", "ca_social_insurance"),
    "zero_width": lambda c, v: c not in ("person_name", "postal_address") and len(v) > 4,
    "soft_hyphen": lambda c, v: c not in ("person_name", "postal_address") and len(v) > 4,
    "lowercase": lambda c, v: c in ("iban", "email") and any(ch.isalpha() for ch in v),
}


def insert(value, char):
    # Inside the value, between two characters that are not spaces.
    spots = [i for i in range(1, len(value)) if value[i - 1] != " " and value[i] != " "]
    if not spots:
        return value
    i = rng.choice(spots)
    return value[:i] + char + value[i:]


def body(messages, **extra):
    return {"model": "auto", "messages": messages, **extra}


def user(text):
    return {"role": "user", "content": text}


PLACEMENTS = {
    "message": lambda text, v: body([user(text)]),
    "system": lambda text, v: body([{"role": "system", "content": "Context for this session: " + text}, user("Summarise the context above.")]),
    "tool_arguments": lambda text, v: body([
        user("Update the record."),
        {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function",
                                                                "function": {"name": "update_record", "arguments": json.dumps({"note": text}, ensure_ascii=False)}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "ok"},
        user("Thanks, confirm it."),
    ]),
    "tool_description": lambda text, v: body([user("Which tool fits?")], tools=[{"type": "function", "function": {
        "name": "lookup", "description": "Looks up the record. Example: " + text, "parameters": {"type": "object", "properties": {}}}}]),
    "user_field": lambda text, v: body([user("Hello, a quick question about my account.")], user=v),
    "name_field": lambda text, v: body([{"role": "user", "name": v, "content": "Please help with my request."}]),
    "image_url": lambda text, v: body([{"role": "user", "content": [
        {"type": "text", "text": "What does this scan show?"},
        {"type": "image_url", "image_url": {"url": "https://files.example.com/scan.png?" + urllib.parse.urlencode({QUERY_KEY.get(CURRENT[0], "ref"): v})}}]}]),
    "data_url": lambda text, v: body([{"role": "user", "content": [
        {"type": "text", "text": "Read the attached note."},
        {"type": "image_url", "image_url": {"url": "data:text/plain;base64," + base64.b64encode(text.encode()).decode()}}]}]),
    "file": lambda text, v: body([{"role": "user", "content": [
        {"type": "text", "text": "Summarise the file."},
        {"type": "file", "file": {"filename": "note.txt", "file_data": base64.b64encode(text.encode()).decode()}}]}]),
    "response_format": lambda text, v: body([user("Fill in the form.")], response_format={"type": "json_schema", "json_schema": {
        "name": "form", "schema": {"type": "object", "description": "Prefill: " + text, "properties": {"answer": {"type": "string"}}}}}),
}
# Values only a whole field holds (user, name) or that only make sense as text.
FIELD_ONLY = {"user_field", "name_field", "image_url"}
# The query parameter an application would name such a value with, in an image link.
QUERY_KEY = {
    "email": "email", "phone": "phone", "national_id": "ssn", "uk_national_insurance": "nino", "ca_social_insurance": "sin",
    "de_tax_id": "steuerid", "in_aadhaar": "aadhaar", "credit_card": "card", "iban": "iban", "date_of_birth": "dob",
    "ip_address": "ip", "secret": "api_key", "medical_record_number": "mrn", "person_name": "patient",
}
CURRENT = [""]
# What the `user` and a message's `name` hold in practice: an address, a name, a number.
USER_FIELD = {"email", "person_name", "phone"}
NAME_FIELD = {"person_name", "email"}


def split_placement(text, v):
    """The value broken between two messages, as a chat client sends a long paste."""
    cut = text.index(v) + max(1, len(v) // 2)
    while cut < len(text) and text[cut - 1] != " ":
        cut += 1
    if cut >= len(text) - 1:
        return None
    return body([user(text[:cut].rstrip()), user(text[cut:].lstrip())])


def wrapped_placement(text, v):
    """A line break inside the value, as a mail client wraps a long line."""
    spaces = [i for i, ch in enumerate(v) if ch == " "]
    if not spaces:
        return None
    i = rng.choice(spaces)
    return body([user(text.replace(v, v[:i] + "\n" + v[i + 1:]))])


NEGATIVE_TEXT = [
    lambda: fake("en_US").sentence(nb_words=12),
    lambda: f"The invoice total is ${rng.randint(10, 9999)}.{rng.randint(10, 99)} for {rng.randint(2, 40)} items.",
    lambda: f"Meeting at {rng.randint(1, 12)}:{rng.randint(10, 59)} in room {rng.randint(100, 999)}.",
    lambda: f"Dosage: {rng.randint(1, 4)} tablets of {rng.choice([5, 10, 20, 50])} mg every {rng.randint(4, 12)} hours.",
    lambda: f"Version {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)} fixes issue #{rng.randint(100, 99999)}.",
    lambda: f"Order {rng.randint(10000, 99999)} shipped on {fake('en_US').date_this_year().isoformat()}.",
    lambda: fake("en_US").catch_phrase() + ". " + fake("en_US").bs().capitalize() + ".",
    lambda: f"The patient reports pain {rng.randint(1, 10)}/10 since {rng.choice(['Monday', 'yesterday', 'last week'])}.",
]


def main():
    rows = []
    placements = list(PLACEMENTS) + ["split", "wrapped"]
    for category, (make, templates) in GENERATORS.items():
        for i in range(48):
            value = str(make())
            transform = "plain" if i % 3 == 0 else rng.choice([t for t in TRANSFORMS if t == "plain" or APPLIES[t](category, value)])
            value = TRANSFORMS[transform](value)
            text = rng.choice(templates).format(v=value)
            placement = placements[i % len(placements)]
            if placement in FIELD_ONLY and category in ("postal_address",):
                placement = "message"
            if placement == "name_field" and category not in NAME_FIELD:
                placement = "tool_arguments"
            if placement == "user_field" and category not in USER_FIELD:
                placement = "system"
            CURRENT[0] = category
            if placement == "split":
                request = split_placement(text, value)
            elif placement == "wrapped":
                request = wrapped_placement(text, value)
            else:
                request = PLACEMENTS[placement](text, value)
            if request is None:
                placement, request = "message", PLACEMENTS["message"](text, value)
            rows.append({"id": f"{category}-{i}", "body": request, "categories": [category], "placement": placement, "transform": transform})
    CURRENT[0] = ""
    for i in range(240):
        text = rng.choice(NEGATIVE_TEXT)()
        placement = rng.choice([p for p in PLACEMENTS if p not in ("name_field",)])
        request = PLACEMENTS[placement](text, text)
        rows.append({"id": f"negative-{i}", "body": request, "categories": [], "placement": placement, "transform": "plain"})
    with open(OUT, "w") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{OUT}: {len(rows) - 240} positive and 240 negative requests (seed {SEED})")


if __name__ == "__main__":
    main()
