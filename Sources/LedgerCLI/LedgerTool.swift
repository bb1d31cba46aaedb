import ArgumentParser

/// `ledger`: create, fill, read, audit and copy an AccountabilityLedger from the shell.
@main
struct LedgerTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Create, fill, query and audit an AccountabilityLedger.",
        discussion: """
        Every command takes the ledger's directory first. Errors go to standard error with a \
        non-zero exit status: 1 for a rejected input or a failed operation, 2 when verify finds a \
        fault, 64 for a usage error. Progress bars appear on standard error only when it is a \
        terminal.
        """,
        subcommands: [
            InitCommand.self, ImportCommand.self, AppendCommand.self, LogCommand.self, TailCommand.self,
            StatsCommand.self, ReplayCommand.self, VerifyCommand.self, ExportCommand.self, BackupCommand.self,
            SimulateCommand.self, SealCommand.self, ColumnsCommand.self, VerifyExportCommand.self,
        ]
    )
}
