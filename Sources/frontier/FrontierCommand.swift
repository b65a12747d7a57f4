import ArgumentParser

struct FrontierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontier",
        abstract: "An OpenAI-compatible LLM gateway that routes each request to the model on the efficiency frontier.",
        subcommands: [Serve.self, Route.self, Fit.self, Analyze.self, Eval.self, Audit.self, Report.self, Keys.self, Outcomes.self, Promote.self, Learn.self, Shadow.self, Drift.self, Models.self, PII.self])
}
