public import FrontierCore

/// What a request's `model` names, resolved once at the planner's entry: the
/// router's choice (`auto`), a named route with its definition, or one catalog
/// model with its entry. The plan and the record carry it; nothing after the
/// planner tests the string again.
public enum Target: Sendable {
    case auto
    case route(RouteDefinition)
    case model(ModelEntry)

    /// The name the client sent (`auto`, the route's, the model's id).
    public var name: String {
        switch self {
        case .auto: RoutePlanner.automatic
        case .route(let route): route.name
        case .model(let entry): entry.id
        }
    }

    /// The route, when one was named.
    public var route: RouteDefinition? {
        if case .route(let route) = self { route } else { nil }
    }

    /// Whether the router chooses the model (`auto` or a route that is not a cascade).
    public var routerChooses: Bool {
        switch self {
        case .auto: true
        case .route(let route): route.cascade == nil
        case .model: false
        }
    }
}
