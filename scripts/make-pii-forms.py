"""Writes two corpora of hospital traffic for the PII detector's built-ins:
Tests/FrontierRoutingTests/Resources/pii-forms-tune.jsonl, the one the
medical record number, phone and address rules were tuned on, and
pii-forms-heldout.jsonl, held apart: another seed and another half of the
templates (the forms and letters around the values never overlap), read only
to report the figures in README.

Whole chat requests the way a hospital's traffic looks: referral letters,
discharge summaries, intake forms, lab orders, appointment reminders and
ward hand-overs, each carrying some of a medical record number (under the
labels and abbreviations hospitals use, 6 to 12 digits, with or without a
colon, a hash sign, "no." or "number", and separators), a phone number (valid
numbers from libphonenumber's metadata through the `phonenumbers` package, in
its international, national and E.164 layouts for 16 regions, and the ways
people write them: "+44 (0)20 ...", dots, no spaces), a street address (Faker,
with and without a unit, on one line or several), Every request is labelled with the categories it carries. Negatives are the
same kinds of text with no personal data: bed and room numbers, doses, lab
values, order and ICD-10 codes, visit dates, times, extensions of a ward.

Usage: pip install faker phonenumbers && python3 scripts/make-pii-forms.py
"""
import base64
import json
import os
import random

import phonenumbers
from faker import Faker

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESOURCES = os.path.join(ROOT, "Tests/FrontierRoutingTests/Resources")

REGIONS = ["US", "CA", "GB", "IE", "DE", "AT", "CH", "FR", "BE", "NL", "ES", "IT", "SE", "AU", "IN", "SG"]
ADDRESS_LOCALES = ["en_US", "en_GB", "en_CA", "en_AU", "en_IE", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL"]
NAME_LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "en_IN", "nl_NL"]

MRN_LABELS = [
    "MRN", "MRN:", "MRN #", "MRN#", "MRN no.", "M.R.N.", "Medical record number", "Medical record number:", "Medical record no.",
    "Medical Record #", "Med. Rec. No.", "Med rec #", "Hospital number", "Hospital no.", "Hosp. No.", "Hosp #", "Unit No.",
    "Unit number:", "Chart #", "Chart no.", "Patient ID", "Patient ID:", "Patient no.", "Record ID:", "MR #", "MR no.", "EMR #",
]


class Maker:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.fakers = {}
        for n, locale in enumerate(sorted(set(ADDRESS_LOCALES + NAME_LOCALES))):
            self.fakers[locale] = Faker(locale)
            self.fakers[locale].seed_instance(seed + n)

    def mrn(self):
        r = self.rng
        n = r.randint(6, 12)
        digits = "".join(r.choice("0123456789") for _ in range(n))
        layout = r.random()
        if layout < 0.55:
            value = digits
        elif layout < 0.75:
            cut = r.randint(2, n - 3)
            value = digits[:cut] + "-" + digits[cut:]
        elif layout < 0.9:
            size = 3 if n % 3 == 0 else 4 if n % 4 == 0 else 3
            value = " ".join(digits[i:i + size] for i in range(0, n, size))
        else:
            value = ".".join(digits[i:i + 3] for i in range(0, n, 3))
        label = r.choice(MRN_LABELS)
        return f"{label} {value}" if not label.endswith("#") or r.random() < 0.5 else f"{label}{value}"

    def phone(self):
        r = self.rng
        region = r.choice(REGIONS)
        kind = r.choice([phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE])
        example = phonenumbers.example_number_for_type(region, kind) or phonenumbers.example_number(region)
        national = str(example.national_number)
        for _ in range(200):
            keep = max(2, len(national) - r.randint(4, 6))
            candidate = national[:keep] + "".join(r.choice("0123456789") for _ in range(len(national) - keep))
            number = phonenumbers.parse("+" + str(example.country_code) + candidate)
            if phonenumbers.is_valid_number(number):
                break
        else:
            number = example
        style = r.random()
        if style < 0.35:
            text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        elif style < 0.7:
            text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        elif style < 0.8:
            text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        elif style < 0.9:
            # "+44 (0)20 7946 0958": the trunk prefix kept in brackets, as British and German letters write it.
            intl = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            cc, _, rest = intl.partition(" ")
            text = f"{cc} (0){rest}" if region in ("GB", "DE", "AT", "CH", "IE", "NL", "BE") else intl
        else:
            text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL).replace(" ", ".").replace("-", ".")
        return text

    def address(self):
        r = self.rng
        f = self.fakers[r.choice(ADDRESS_LOCALES)]
        text = f.address()
        if r.random() < 0.4 and hasattr(f, "secondary_address"):
            lines = text.split("\n")
            unit = f.secondary_address() if f.locales[0] in ("en_US", "en_CA") else r.choice(["Flat", "Apt", "Unit", "Suite"]) + f" {r.randint(1, 40)}"
            lines[0] = f"{lines[0]}, {unit}" if r.random() < 0.5 else f"{unit}, {lines[0]}"
            text = "\n".join(lines)
        return text if r.random() < 0.5 else text.replace("\n", ", ")

    def name(self):
        return self.fakers[self.rng.choice(NAME_LOCALES)].name()

    def dob(self):
        d = self.fakers["en_US"].date_of_birth(minimum_age=1, maximum_age=95)
        return self.rng.choice([d.strftime("%Y-%m-%d"), d.strftime("%m/%d/%Y"), d.strftime("%d.%m.%Y"), d.strftime("%d %B %Y")])


# Each template names its slots; the categories a request carries are the slots it fills.
TEMPLATES = [
    "Referral letter\nPatient: see attached\n{mrn}\nAddress: {address}\nTel: {phone}\nReason: chest pain on exertion, please assess.",
    "Discharge summary ({mrn}). Discharged home to {address}. GP to call the ward on {phone} with any concerns.",
    "Can you draft a letter to the patient at {address} about their follow-up? {mrn}. Their mobile is {phone}.",
    "Intake form\n- {mrn}\n- Phone: {phone}\n- Home address: {address}\nAllergies: penicillin.",
    "Lab order: FBC, U&E, LFT. {mrn}. Results to the requesting clinic, phone {phone}.",
    "Appointment reminder: you are booked for Tuesday 10:30 in clinic 4. Questions? Call {phone}.",
    "Ward 7B hand-over: bed 12, {mrn}, post-op day 2, obs stable, family contact {phone}.",
    "Please summarise this note: patient seen in ED, {mrn}, lives at {address}, discharged with antibiotics.",
    "Update the demographics: new address {address}; new phone number {phone}; {mrn}.",
    "Translate into Spanish for the family: \"Your father ({mrn}) will stay two more nights.\"",
    "Transport booking: collect from {address} at 08:00 for dialysis, contact number {phone}.",
    "Write a polite reminder that the patient's {mrn} must be on every specimen label.",
    "Next of kin: the patient's daughter, telephone {phone}, address {address}.",
    "Is this radiology request complete? {mrn}, CT abdomen with contrast, eGFR 72.",
    "Community nurse visit at {address} on Friday; the patient prefers a call first on {phone}.",
    "Scanned form text:\nSurname/First name: (illegible)\n{mrn}\nTelephone (home): {phone}",
    "Draft an SMS: \"Hello, your results are ready. Ring us on {phone} to discuss.\"",
    "Pharmacy query for {mrn}: warfarin dose 3 mg, INR 2.4; dispatch to {address}.",
    "Complaint received from a relative living at {address} (phone {phone}) about waiting times in outpatients.",
    "Clinic letter cc: GP practice. Re: {mrn}. Seen today with knee pain.",
]
NEGATIVES = [
    "Bed {bed} on ward 7B needs a pressure mattress before 14:00.",
    "Give {dose} mg paracetamol every 6 hours, maximum 4 g in 24 hours.",
    "Potassium 4.{d} mmol/L, sodium 13{d} mmol/L, creatinine {lab} umol/L: summarise.",
    "ICD-10 code for community-acquired pneumonia is J18.9; is J15.{d} better here?",
    "The clinic on {visit} runs from 09:00 to 12:30 in room {room}.",
    "Order set {order} includes a chest X-ray and blood cultures.",
    "What is the normal range for HbA1c in mmol/mol? Ours reads {lab}.",
    "Ward extension {ext} is staffed overnight; escalate to the registrar after 22:00.",
    "Write a rota for 12 nurses over 4 weeks with 3 shifts a day.",
    "Summarise NICE guidance on sepsis in adults in five bullet points.",
    "Our audit found {pct}% of discharge letters sent within 24 hours in {year}.",
    "The infusion runs at {rate} mL/h for {hours} hours; how much is given in total?",
    "Floor {floor}, theatre {room}: the list starts at 08:15 with three hips.",
    "Batch {order} of the vaccine expires on {visit}; move it to the front of fridge 2.",
    "A 67-year-old with BP 150/95 and a heart rate of 88: which drug first?",
]
# The forms and letters are split in two: even positions for tuning, odd ones held out.
TUNE, HELD = TEMPLATES[0::2], TEMPLATES[1::2]
NEG_TUNE, NEG_HELD = NEGATIVES[0::2], NEGATIVES[1::2]
SLOTS = {"mrn": "medical_record_number", "phone": "phone", "address": "postal_address"}


def negative_text(m, template):
    r = m.rng
    return template.format(
        bed=r.randint(1, 40), dose=r.choice([500, 1000]), d=r.randint(0, 9), lab=r.randint(40, 140), visit=m.fakers["en_US"].date_this_year().strftime("%d %B"),
        room=r.randint(1, 30), order=r.randint(1000, 99999), ext=r.randint(1000, 9999), pct=r.randint(50, 99), year=r.randint(2019, 2026),
        rate=r.randint(20, 250), hours=r.randint(2, 12), floor=r.randint(1, 9))


def request(m, text):
    r = m.rng.random()
    if r < 0.7:
        return {"model": "auto", "messages": [{"role": "user", "content": text}]}, "message"
    if r < 0.8:
        return {"model": "auto", "messages": [{"role": "system", "content": "Context: " + text}, {"role": "user", "content": "Go on."}]}, "system"
    if r < 0.9:
        return {"model": "auto", "messages": [
            {"role": "user", "content": "Save this."},
            {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function",
                                                                   "function": {"name": "save_note", "arguments": json.dumps({"note": text}, ensure_ascii=False)}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "saved"}, {"role": "user", "content": "Confirm."}]}, "tool_arguments"
    return {"model": "auto", "messages": [{"role": "user", "content": [
        {"type": "text", "text": "Summarise the attached form."},
        {"type": "file", "file": {"filename": "form.txt", "file_data": base64.b64encode(text.encode()).decode()}}]}]}, "file"


def write(path, seed, templates, negatives, positives=480, negative_count=240):
    m = Maker(seed)
    rows = []
    for i in range(positives):
        template = templates[i % len(templates)]
        values = {}
        for slot in SLOTS:
            if "{" + slot + "}" in template:
                values[slot] = getattr(m, slot)()
        text = template.format(**values)
        if m.rng.random() < 0.1:
            text = text.replace(" ", "\u00a0", 3)  # pasted from a PDF
        body, placement = request(m, text)
        rows.append({"id": f"form-{i}", "body": body, "categories": sorted(SLOTS[s] for s in values), "placement": placement, "transform": "plain"})
    for i in range(negative_count):
        body, placement = request(m, negative_text(m, negatives[i % len(negatives)]))
        rows.append({"id": f"negative-{i}", "body": body, "categories": [], "placement": placement, "transform": "plain"})
    with open(path, "w") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{path}: {positives} forms and {negative_count} negatives (seed {seed})")


if __name__ == "__main__":
    write(os.path.join(RESOURCES, "pii-forms-tune.jsonl"), 4101, TUNE, NEG_TUNE)
    write(os.path.join(RESOURCES, "pii-forms-heldout.jsonl"), 7207, HELD, NEG_HELD)
