import Hummingbird
import LotboxMetrics
import LotboxStore

/// The status a request ended with, for `lotbox_api_requests_total`: a reply's, or the one the
/// envelope middleware turns a thrown error into.
enum APIRequestMetrics {
    static func record(_ route: APIRoute, status: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        Telemetry.apiRequest(route: route.path, method: route.method.rawValue, status: status, seconds: seconds)
    }

    static func status(of error: any Error) -> Int {
        switch error {
        case let error as APIError: return error.status.code
        case let error as StoreError: return APIError(store: error).status.code
        case let refusal as OperationRefused: return APIError(refusal: refusal).status.code
        case let error as HTTPError: return error.status.code
        default: return 500
        }
    }
}
