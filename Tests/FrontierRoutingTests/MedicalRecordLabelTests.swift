@testable import FrontierRouting
import Testing

/// Medical record numbers under the labels and layouts hospital forms use, and the near misses that are not.
@Suite struct MedicalRecordLabelTests {
    @Test(arguments: [
        "MRN 00482913", "MRN: 00482913", "MRN#00482913", "MRN # 00482913", "mrn-00482913",
        "Medical record number: 4829130", "Medical record no. 482913", "Medical Record #: 48291307",
        "Med. Rec. No. 0048291", "M.R.N. 00482913", "MR # 482913", "Hosp. No. 48291307", "Unit No: 004829",
        "MRN: 004 829 13", "Medical record number 0048 2913", "MRN: 12-345-678", "Patient ID 00482913",
        "Record ID: 482-913-07",
    ])
    func aLabelledNumberIsFound(_ text: String) {
        let found = PIIDetector().findings(in: "Please pull the chart. \(text). Thanks").map(\.category)
        #expect(found.contains(.medicalRecordNumber), "\(text): \(found)")
    }

    @Test(arguments: [
        "Room 412 on floor 3", "page 12 of 40", "MRN is required on every form", "We admitted 12 345 patients in 2023",
        "The medical record shows 3 visits", "dose 0.5 mg twice",
    ])
    func ordinaryNumbersAreNot(_ text: String) {
        let found = PIIDetector().findings(in: text).map(\.category)
        #expect(!found.contains(.medicalRecordNumber), "\(text): \(found)")
    }
}
