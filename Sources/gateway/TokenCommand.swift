import ArgumentParser
import GatewayAPI

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create bearer tokens for the HTTP API.",
        discussion: """
            'token new' prints a new random token once, and the entry to add under http.tokens in \
            the gateway's config. The config keeps only the token's SHA-256, so a copied config \
            reveals no token; lose the token and you make a new one.
            """,
        subcommands: [TokenNewCommand.self]
    )
}

struct TokenNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "Print a new API token and its http.tokens entry.")

    @Option(help: "Name shown in logs and errors (never the token), e.g. dashboard or grafana.")
    var name: String

    @Option(help: "read (every GET route) or operator (also calibration control and sync acknowledgements).")
    var role: String = "read"

    func run() throws {
        guard !name.isEmpty else { throw ValidationError("--name must not be empty") }
        guard let role = APIRole(rawValue: role) else {
            throw ValidationError("--role '\(role)' is not a role; use read or operator")
        }
        let (token, entry) = APIToken.generate(name: name, role: role)
        print("token: \(token)")
        print("")
        print("Give the token to the client (header 'Authorization: Bearer <token>'); add this under http.tokens:")
        print("  - {name: \(entry.name), role: \(entry.role.rawValue), digest: \"\(entry.digestText)\"}")
    }
}
