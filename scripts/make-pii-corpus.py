"""Writes the PII detector's test corpus (Tests/FrontierRoutingTests/Resources/pii-corpus.jsonl).

Seeded, so the file is reproducible: positives per category with varied
formats and random but valid values (card numbers pass Luhn, IBANs mod 97),
and negatives, half of them near-misses (a 16-digit number that fails Luhn,
an order number shaped like a phone number, dates that are not birth dates,
version numbers shaped like IP addresses), half ordinary prompts from
shared/data/mmlu-pro (Apache-2.0) when that file is present.
Usage: python3 scripts/make-pii-corpus.py [path/to/outcomes.jsonl]
"""
import json
import os
import random
import string
import sys

rng = random.Random(20261129)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests/FrontierRoutingTests/Resources/pii-corpus.jsonl")

FIRST = ["anna", "li", "omar", "sofia", "james", "priya", "lukas", "mei", "carlos", "fatima", "noah", "yuki"]
LAST = ["berg", "chen", "haddad", "rossi", "smith", "patel", "novak", "wang", "garcia", "khan", "meyer", "sato"]
DOMAINS = ["example.com", "mail.example.org", "hospital.example.net", "lawfirm.co.uk", "bank.example.de", "uni.example.edu"]


def digits(n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def luhn_digit(partial):
    total = 0
    for i, d in enumerate(reversed(partial)):
        v = int(d)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return str((10 - total % 10) % 10)


def card(prefix, length):
    body = prefix + digits(length - len(prefix) - 1)
    return body + luhn_digit(body)


def group(number, sizes, sep):
    out, i = [], 0
    for s in sizes:
        out.append(number[i:i + s])
        i += s
    return sep.join(out)


def iban(country, bban):
    rearranged = bban + country + "00"
    value = int("".join(str(int(c, 36)) for c in rearranged))
    return f"{country}{98 - value % 97:02d}{bban}"


def spaced(code):
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


def email():
    return f"{rng.choice(FIRST)}.{rng.choice(LAST)}{rng.randint(1, 99)}@{rng.choice(DOMAINS)}"


def us_phone():
    area, exchange, line = rng.randint(201, 989), rng.randint(200, 999), digits(4)
    return rng.choice([
        f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}",
        f"+1 {area} {exchange} {line}", f"1-{area}-{exchange}-{line}",
    ])


def intl_phone():
    return rng.choice([f"+44 20 {digits(4)} {digits(4)}", f"+49 30 {digits(7)}", f"+33 1 {digits(2)} {digits(2)} {digits(2)} {digits(2)}",
                       f"+91 {digits(5)} {digits(5)}", f"+81 3-{digits(4)}-{digits(4)}"])


def ssn():
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def ipv4():
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


def ipv6():
    groups = [format(rng.randint(0, 0xFFFF), "x") for _ in range(8)]
    return rng.choice([":".join(groups), f"2001:db8:{groups[2]}::{groups[6]}:{groups[7]}", f"fe80::{groups[4]}:{groups[5]}:{groups[6]}:{groups[7]}"])


def token(n, alphabet=string.ascii_letters + string.digits):
    return "".join(rng.choice(alphabet) for _ in range(n))


def secret():
    return rng.choice([
        lambda: f"sk-{token(48)}",
        lambda: f"sk-proj-{token(40)}",
        lambda: f"AKIA{token(16, string.ascii_uppercase + string.digits)}",
        lambda: f"ghp_{token(36)}",
        lambda: f"xoxb-{digits(11)}-{digits(12)}-{token(24)}",
        lambda: f"sk_live_{token(24)}",
        lambda: f"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ{token(20)}.{token(43)}",
        lambda: f"AIza{token(35)}",
    ])()


def dob():
    y, m, d = rng.randint(1935, 2010), rng.randint(1, 12), rng.randint(1, 28)
    month = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"][m - 1]
    return rng.choice([f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{d:02d}.{m:02d}.{y}", f"{month} {d}, {y}", f"{d} {month} {y}"])


STREETS = ["Baker", "Main", "Oak", "Elm", "Pennsylvania", "Maple", "Sunset", "Evergreen", "Harbor", "Lincoln", "Cedar Hill", "Old Mill"]
SUFFIXES = ["Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Lane", "Drive", "Court", "Way", "Terrace"]
CITIES = [("Springfield", "IL"), ("Portland", "OR"), ("Austin", "TX"), ("Boston", "MA"), ("Denver", "CO")]


def address():
    number = rng.choice([str(rng.randint(1, 9999)), f"{rng.randint(1, 400)}B"])
    street = f"{number} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}"
    city, state = rng.choice(CITIES)
    return rng.choice([street, f"{street}, {city}, {state} {digits(5)}", f"P.O. Box {rng.randint(10, 99999)}", f"{number} W {rng.randint(2, 99)}th St"])


def mrn():
    return rng.choice([f"MRN: {digits(8)}", f"MRN-{digits(7)}", f"medical record number {digits(7)}", f"patient ID A{digits(7)}", f"MRN {digits(9)}"])


POSITIVE = {
    "email": (email, ["Please reply to {} by Friday.", "Contact: {}", "Forward the contract to {} and cc me.", "My e-mail is {}, send the report there.", "<{}> wrote: see attached"]),
    "phone": (lambda: rng.choice([us_phone, us_phone, intl_phone])(), ["Call me at {} after 5pm.", "Phone: {}", "You can reach the patient on {}.", "Mobile {} (text only)", "Our office number is {}, ask for Dana."]),
    "national_id": (ssn, ["My SSN is {}.", "Social security number: {}", "Applicant {} (SSN) requests a refund.", "SSN {} was entered twice on the form.", "Please verify SSN: {} before filing."]),
    "credit_card": (lambda: rng.choice([
        lambda: group(card("4", 16), [4, 4, 4, 4], " "), lambda: group(card("5" + str(rng.randint(1, 5)), 16), [4, 4, 4, 4], "-"),
        lambda: card("4", 16), lambda: group(card("37", 15), [4, 6, 5], " "), lambda: group(card("6011", 16), [4, 4, 4, 4], " ")])(),
        ["Charge card {} exp 09/27.", "The customer paid with {}.", "Card number: {}", "Use {} for the refund.", "Why was {} declined?"]),
    "iban": (lambda: rng.choice([
        lambda: spaced(iban("DE", digits(18))), lambda: iban("DE", digits(18)), lambda: spaced(iban("GB", "NWBK" + digits(14))),
        lambda: iban("NL", "ABNA" + digits(10)), lambda: spaced(iban("FR", digits(23)))])(),
        ["Wire the deposit to IBAN {}.", "Account: {}", "Please pay invoice 2291 to {} by Monday.", "Refund goes to {}.", "IBAN {} (Sparkasse)"]),
    "date_of_birth": (dob, ["Patient born {}, presents with chest pain.", "DOB: {}", "Date of birth {} per the intake form.", "Her birthday is {}.", "Name: J. Doe, D.O.B. {}"]),
    "postal_address": (address, ["Ship it to {}.", "The tenant lives at {}.", "Mail the notice to {} before the hearing.", "Address: {}", "We met at {} last week."]),
    "ip_address": (lambda: rng.choice([ipv4, ipv4, ipv6])(), ["The login came from {} at 3am.", "Block {} on the firewall.", "Server IP: {}", "Requests from {} return 403.", "ssh admin@ into {} failed"]),
    "secret": (secret, ["Here is my key {} why does it fail?", "export OPENAI_API_KEY={}", "token: {}", "The config has api_key = \"{}\" hard-coded.", "Authorization: Bearer {}"]),
    "medical_record_number": (mrn, ["{} admitted 04/02 with pneumonia.", "Discharge summary for {}.", "Labs for {} are pending.", "Please pull the chart, {}.", "Transfer {} to ICU."]),
}

EXTRA_POSITIVE = [
    ("password: Tr0ub4dor&3xk", ["secret"]),
    ("db password=Sup3rS3cret!", ["secret"]),
    ('{"client_secret": "q8Zr2LmN5vTx9Wc1"}', ["secret"]),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7v\n-----END RSA PRIVATE KEY-----", ["secret"]),
]


def luhn_failing_16():
    n = card("4", 16)
    return n[:-1] + str((int(n[-1]) + rng.randint(1, 9)) % 10)


def bad_iban():
    good = iban("DE", digits(18))
    return good[:2] + f"{(int(good[2:4]) + rng.randint(1, 50)) % 100:02d}" + good[4:]


NEAR_MISSES = [
    (lambda: f"The product code is {group(luhn_failing_16(), [4, 4, 4, 4], ' ')}.", "16 digits failing Luhn"),
    (lambda: f"Lookup key {luhn_failing_16()} not found in the cache.", "16 digits failing Luhn"),
    (lambda: f"Order #{rng.randint(201, 989)}-{rng.randint(200, 999)}-{digits(4)} has shipped.", "order number shaped like a phone"),
    (lambda: f"Your tracking number is {rng.randint(201, 989)}-{rng.randint(200, 999)}-{digits(4)}.", "tracking number shaped like a phone"),
    (lambda: f"Invoice {rng.randint(201, 989)}.{rng.randint(200, 999)}.{digits(4)} is overdue.", "invoice shaped like a phone"),
    (lambda: f"The meeting moved to {rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/2025.", "a date that is not a birth date"),
    (lambda: f"Version {rng.randint(1, 20)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 99)} fixes the crash.", "a version shaped like an IPv4"),
    (lambda: f"Released on 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} with 3 new features.", "a release date"),
    (lambda: f"Reference code {bad_iban()} was rejected.", "IBAN shape with a wrong checksum"),
    (lambda: f"Form id {rng.choice(['000', '666', '912'])}-{rng.randint(10, 99)}-{digits(4)} is invalid.", "SSN shape with an impossible area"),
    (lambda: f"The train leaves at {rng.randint(10, 23)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}.", "a time with colons"),
    (lambda: f"Compute {rng.randint(2, 9)}/{rng.randint(2, 9)} + {rng.randint(2, 9)}/{rng.randint(2, 9)} as a fraction.", "fractions"),
    (lambda: f"Use sk-learn {rng.randint(0, 1)}.{rng.randint(10, 99)} for the regression.", "a library named sk-learn"),
    (lambda: f"The password policy requires {rng.randint(10, 16)} characters.", "the word password without a value"),
    (lambda: f"I walked {rng.randint(2, 9)} miles down the street.", "a number before 'street' in prose"),
    (lambda: f"The population was {digits(7)} in {rng.randint(1990, 2020)}.", "a 7-digit count"),
    (lambda: f"Room {rng.randint(100, 999)} is on the {rng.randint(2, 9)}th floor.", "a room number"),
    (lambda: f"Ping @{rng.choice(FIRST)} about the review.", "an @mention"),
    (lambda: f"Set the score to {rng.randint(256, 999)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)} in the test.", "dotted numbers over 255"),
    (lambda: f"The patient is {rng.randint(20, 90)} years old and weighs {rng.randint(50, 110)} kg.", "clinical numbers that identify no one"),
    (lambda: f"Case {rng.randint(1, 9)}:{rng.randint(10, 24)}-cv-{digits(5)} was dismissed.", "a docket number"),
    (lambda: f"ISBN {digits(3)}-{digits(1)}-{digits(2)}-{digits(6)}-{digits(1)}", "an ISBN"),
    (lambda: f"Our revenue grew from $1,{digits(3)},{digits(3)} to $2,{digits(3)},{digits(3)}.", "money amounts"),
    (lambda: f"def f(x):\n    return x ** {rng.randint(2, 5)} + {rng.randint(1, 99)}", "code"),
    (lambda: f"Solve {rng.randint(2, 9)}x + {rng.randint(2, 99)} = {rng.randint(100, 999)}.", "math"),
]


def main():
    rows = []
    for category, (make, templates) in POSITIVE.items():
        for i in range(25):
            rows.append({"text": templates[i % len(templates)].format(make()), "categories": [category]})
    for text, categories in EXTRA_POSITIVE:
        rows.append({"text": text, "categories": categories})
    # Mixed snippets: several categories at once.
    for _ in range(10):
        rows.append({"text": f"Patient born {dob()}, {mrn()}, phone {us_phone()}.", "categories": ["date_of_birth", "medical_record_number", "phone"]})
        rows.append({"text": f"Refund {group(card('4', 16), [4, 4, 4, 4], ' ')} or wire to {iban('DE', digits(18))}; questions to {email()}.",
                     "categories": ["credit_card", "email", "iban"]})
    for make, note in NEAR_MISSES:
        for _ in range(6):
            rows.append({"text": make(), "categories": [], "note": note})
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "mmlu-pro", "outcomes.jsonl")
    if os.path.exists(data):
        with open(data) as f:
            prompts = [json.loads(line)["prompt"] for line in f]
        for prompt in rng.sample(prompts, 100):
            rows.append({"text": prompt[:600], "categories": [], "note": "MMLU-Pro question"})
    with open(OUT, "w") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    positives = sum(1 for r in rows if r["categories"])
    print(f"{OUT}: {positives} positive, {len(rows) - positives} negative snippets")


if __name__ == "__main__":
    main()
