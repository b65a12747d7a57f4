/// What the router may read of a prompt when it chooses (`router.signals`, or a route's `signals`): the predicted
/// domain's means, the per-prompt predictor over its words, and the nearest training prompts by embedding. A
/// signal the fitted file lacks is simply not there; one left out here is not used even when the file has it.
public enum RouterSignal: String, Sendable, Hashable, CaseIterable {
    case domain
    case prompt
    case embedding
}
