@testable import FrontierGateway
import Testing

@Suite struct CostHeaderTests {
    @Test(arguments: [
        (0.0, "0.0"), (1.0, "1.0"), (0.000042, "0.000042"), (0.0000000001, "0.0000000001"),
        (12.5, "12.5"), (0.1 + 0.2, "0.3"), (3.00000000004, "3.0"), (0.00000000004, "0.0"),
    ])
    func dollarsAreWrittenWithoutFloatNoise(_ usd: Double, _ text: String) {
        #expect(Responses.formatCost(usd) == text)
    }

    @Test func unboundedValuesFallBackToSwiftsOwnText() {
        #expect(Responses.formatCost(.infinity) == "inf")
        #expect(Responses.formatCost(-1) == "-1.0")
    }
}
