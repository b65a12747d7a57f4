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
import re
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
                       f"+91 {digits(5)} {digits(5)}", f"+81 3-{digits(4)}-{digits(4)}", f"020 {digits(4)} {digits(4)}",
                       f"0{rng.randint(6, 7)} {digits(2)} {digits(2)} {digits(2)} {digits(2)}", f"{rng.randint(201, 989)}-{rng.randint(200, 999)}-{digits(4)}x{digits(3)}"])


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


EU_STREETS = [("Hauptstraße", "10115 Berlin"), ("Kerkstraat", "1017 GC Amsterdam"), ("Lindenweg", "80331 München"), ("Bahnhofstr.", "8001 Zürich")]


def eu_address():
    street, city = rng.choice(EU_STREETS)
    n = rng.randint(1, 200)
    return rng.choice([
        f"{street} {n}, {city}", f"{n}, rue de la {rng.choice(['Paix', 'Gare', 'République'])}, 750{rng.randint(10, 20)} Paris",
        f"Calle {rng.choice(['Mayor', 'Alcalá', 'Serrano'])} {n}, 280{rng.randint(10, 99)} Madrid", f"Via {rng.choice(['Roma', 'Garibaldi'])} {n}, 00{rng.randint(100, 199)} Roma",
        f"{n} {rng.choice(['Baker', 'High', 'Church'])} Street, London NW1 {rng.randint(1, 9)}XE", f"{n} {rng.choice(['Maple', 'Birch'])} Crescent, Toronto, ON M5V 2T6",
        f"{rng.randint(100, 9999)} {rng.choice(['Anthony', 'Willow', 'Stone'])} {rng.choice(['Plains', 'Crossing', 'Mission', 'Ranch'])}\n{rng.choice(['Springfield', 'Lakeview'])}, {rng.choice(['VA', 'OH'])} {digits(5)}",
    ])


def address():
    number = rng.choice([str(rng.randint(1, 9999)), f"{rng.randint(1, 400)}B"])
    street = f"{number} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}"
    city, state = rng.choice(CITIES)
    return rng.choice([street, f"{street}, {city}, {state} {digits(5)}", f"P.O. Box {rng.randint(10, 99999)}", f"{number} W {rng.randint(2, 99)}th St"])


def mrn():
    return rng.choice([f"MRN: {digits(8)}", f"MRN-{digits(7)}", f"medical record number {digits(7)}", f"patient ID A{digits(7)}", f"MRN {digits(9)}",
                       f"Med Rec No. {digits(6)}", f"Chart #: {digits(7)}", f"NHS number {digits(3)} {digits(3)} {digits(4)}"[:0] + f"hospital no. H{digits(7)}"])


NAME_FIRST = ["Jane", "Omar", "Sofia", "Kwame", "Priya", "Lukas", "Mei", "Carlos", "Fatima", "Noah", "Aiko", "Chidi"]
NAME_LAST = ["Doe", "Okafor", "Haddad", "Rossi", "Nguyen", "Patel", "Novak", "Kowalski", "Garcia", "Khan", "Meyer", "Adeyemi"]


def person():
    return f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_LAST)}"


NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"


def nino():
    while True:
        prefix = rng.choice(NINO_FIRST) + rng.choice(NINO_SECOND)
        if prefix not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}:
            break
    number = digits(6)
    suffix = rng.choice("ABCD")
    return rng.choice([f"{prefix}{number}{suffix}", f"{prefix} {number[:2]} {number[2:4]} {number[4:]} {suffix}"])


def sin():
    body = rng.choice("1234567") + digits(7)
    number = body + luhn_digit(body)
    return rng.choice([group(number, [3, 3, 3], " "), group(number, [3, 3, 3], "-")])


VERHOEFF_D = [[0,1,2,3,4,5,6,7,8,9],[1,2,3,4,0,6,7,8,9,5],[2,3,4,0,1,7,8,9,5,6],[3,4,0,1,2,8,9,5,6,7],[4,0,1,2,3,9,5,6,7,8],
              [5,9,8,7,6,0,4,3,2,1],[6,5,9,8,7,1,0,4,3,2],[7,6,5,9,8,2,1,0,4,3],[8,7,6,5,9,3,2,1,0,4],[9,8,7,6,5,4,3,2,1,0]]
VERHOEFF_P = [[0,1,2,3,4,5,6,7,8,9],[1,5,7,6,2,8,3,0,9,4],[5,8,0,3,7,9,6,1,4,2],[8,9,1,6,0,4,3,5,2,7],[9,4,5,3,1,2,6,8,7,0],
              [4,2,8,6,5,7,3,9,0,1],[2,7,9,3,8,0,6,4,1,5],[7,0,4,6,9,1,3,2,5,8]]
VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_digit(partial):
    c = 0
    for i, d in enumerate(reversed(partial)):
        c = VERHOEFF_D[c][VERHOEFF_P[(i + 1) % 8][int(d)]]
    return str(VERHOEFF_INV[c])


def aadhaar():
    body = rng.choice("23456789") + digits(10)
    number = body + verhoeff_digit(body)
    return rng.choice([group(number, [4, 4, 4], " "), group(number, [4, 4, 4], " "), f"Aadhaar {number}"])


def de_tax_digit(partial):
    product = 10
    for d in partial:
        total = (int(d) + product) % 10 or 10
        product = (total * 2) % 11
    return str((11 - product) % 10)


def de_tax_id():
    while True:
        first = [rng.choice("123456789")] + [rng.choice(string.digits) for _ in range(9)]
        counts = {d: first.count(d) for d in set(first)}
        if sum(1 for c in counts.values() if c >= 2) == 1 and max(counts.values()) <= 3:
            number = "".join(first) + de_tax_digit(first)
            return rng.choice([group(number, [2, 3, 3, 3], " "), f"Steuer-IdNr. {number}"])


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
    "postal_address": (lambda: rng.choice([address, address, eu_address])(), ["Ship it to {}.", "The tenant lives at {}.", "Mail the notice to {} before the hearing.", "Address: {}", "We met at {} last week."]),
    "ip_address": (lambda: rng.choice([ipv4, ipv4, ipv6])(), ["The login came from {} at 3am.", "Block {} on the firewall.", "Server IP: {}", "Requests from {} return 403.", "ssh admin@ into {} failed"]),
    "secret": (secret, ["Here is my key {} why does it fail?", "export OPENAI_API_KEY={}", "token: {}", "The config has api_key = \"{}\" hard-coded.", "Authorization: Bearer {}"]),
    "medical_record_number": (mrn, ["{} admitted 04/02 with pneumonia.", "Discharge summary for {}.", "Labs for {} are pending.", "Please pull the chart, {}.", "Transfer {} to ICU."]),
    "person_name": (person, ["Patient: {}, 54, presents with chest pain.", "Mr. " + "{}" + " called about the bill.", "Dr. {} will see you at noon.",
                             "Thanks for the help.\nBest regards,\n{}", "My name is {} and I need a copy of my file."]),
    "uk_national_insurance": (nino, ["My NI number is {}.", "National Insurance: {}", "Employee {} starts on Monday.", "NINO {} on the payslip.", "Please update {} in payroll."]),
    "ca_social_insurance": (sin, ["My SIN is {}.", "Social insurance number: {}", "SIN {} for the T4 slip.", "Client {} filed late.", "Update SIN: {} on file."]),
    "de_tax_id": (de_tax_id, ["Meine Steuer-ID lautet {}.", "Tax ID {}", "Please file with {}.", "Identifikationsnummer {} fehlt.", "The TIN on the form is {}."]),
    "in_aadhaar": (aadhaar, ["My Aadhaar number is {}.", "UID: {}", "Link {} to the bank account.", "KYC document {} verified.", "Aadhaar card {} attached."]),
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


def bad_sin():
    number = sin().replace(" ", "").replace("-", "")
    return group(number[:-1] + str((int(number[-1]) + rng.randint(1, 9)) % 10), [3, 3, 3], " ")


def bad_aadhaar():
    number = "".join(c for c in aadhaar() if c.isdigit())
    return group(number[:-1] + str((int(number[-1]) + rng.randint(1, 9)) % 10), [4, 4, 4], " ")


def unicode_variants():
    """Positives written the ways pasted text writes them: no-break and thin spaces, fullwidth digits,
    en dashes, zero-width spaces and soft hyphens inside the value, lower case, a line break inside."""
    fullwidth = str.maketrans("0123456789", "０１２３４５６７８９")
    number = card("4", 16)
    return [
        (f"Card {group(number, [4, 4, 4, 4], chr(0xA0))} please.", ["credit_card"]),
        (f"Card {group(number, [4, 4, 4, 4], ' ').translate(fullwidth)} please.", ["credit_card"]),
        (f"SSN {ssn().replace('-', chr(0x2013))} on file.", ["national_id"]),
        (f"Card {group(number, [4, 4, 4, 4], chr(0x200B))} is the one.", ["credit_card"]),
        (f"Mail {email().replace('@', chr(0xAD) + '@')} today.", ["email"]),
        (f"IBAN {spaced(iban('DE', digits(18))).lower()} for the refund.", ["iban"]),
        (f"Card {group(number, [4, 4], ' ')}\n{group(card('5', 16), [4, 4], ' ')[:0]}{group(number, [4, 4, 4, 4], ' ')[10:]} wrapped.", ["credit_card"]),
        (f"Phone {us_phone().translate(fullwidth)}.", ["phone"]),
    ]


NEAR_MISSES = [
    (lambda: f"Patient: {rng.choice(['Chest pain', 'Acute kidney injury', 'Follow-up visit', 'Unknown'])} since Monday.", "a label followed by words, not a name"),
    (lambda: f"Dr. {rng.choice(['appointments', 'visits'])} are on Tuesday.", "a title without a name"),
    (lambda: "Best regards,\nThe Support Team", "a signature without a person"),
    # Written in capitals (or spaced), a NI-shaped value counts even with a prefix never issued ("ZZ", as test data
    # uses): the detector cannot tell test data from a typo. In lower case, without a cue, it is a code.
    (lambda: f"Code {rng.choice(['gb', 'bg', 'zz', 'qa'])}{digits(6)}{rng.choice('abcd')} is a test value.", "a lower-case code shaped like a NI number"),
    (lambda: f"Batch {bad_sin()} shipped.", "SIN shape failing Luhn"),
    (lambda: f"Serial {bad_aadhaar()} registered.", "Aadhaar shape failing Verhoeff"),
    (lambda: f"Order 4{digits(10)} shipped today.", "eleven digits without a tax-id cue"),
    (lambda: f"Slide {rng.randint(2, 9)} Key Points for the review.", "a number and words shaped like a street"),
    (lambda: f"We scored {rng.randint(10, 99)} Points in the Final Round.", "a number and capitalised words"),
    (lambda: f"Chapter {rng.randint(1, 30)} Main Street Economics", "a title with Street in it"),
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
    for _ in range(3):
        for text, categories in unicode_variants():
            rows.append({"text": text, "categories": categories, "note": "unicode"})
    for make, note in NEAR_MISSES:
        for _ in range(6):
            rows.append({"text": make(), "categories": [], "note": note})
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "mmlu-pro", "outcomes.jsonl")
    if os.path.exists(data):
        with open(data) as f:
            prompts = [json.loads(line)["prompt"] for line in f]
        titled = re.compile(r"\b(Mr|Mrs|Ms|Dr|Prof)\.? [A-Z][a-z]+")
        for prompt in rng.sample(prompts, 100):
            # A question about "Ms. Finer" names a person, fictional or not: the detector cannot tell.
            rows.append({"text": prompt[:600], "categories": ["person_name"] if titled.search(prompt[:600]) else [], "note": "MMLU-Pro question"})
    with open(OUT, "w") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    positives = sum(1 for r in rows if r["categories"])
    print(f"{OUT}: {positives} positive, {len(rows) - positives} negative snippets")


if __name__ == "__main__":
    main()
