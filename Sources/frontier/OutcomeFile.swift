import Foundation
import FrontierCore
import FrontierLedger

/// Outcome records written as the outcomes JSONL (`frontier eval` and `frontier promote --suite`).
enum OutcomeFile {
    static func write(_ records: [OutcomeRecord], to path: String) {
        do { try Data(OutcomeExport.jsonl(records.map(\.json))).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            OfflineInput.fail("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
