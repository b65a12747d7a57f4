import FrontierConfig

/// The error a config gives, as the user reads it; "no error" when it loads.
func configFailure(_ yaml: String, environment: [String: String] = [:]) -> String {
    do {
        _ = try ConfigLoader(environment: environment).parse(yaml, file: "frontier.yaml")
        return "no error"
    } catch {
        return error.description
    }
}
