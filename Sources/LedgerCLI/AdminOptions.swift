import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// Who administers which program, for the commands that check events against the rules.
///
/// Admins may record any event of their program's mentorships, and only they may record
/// NudgeSent or end a mentorship as `admin` or `system`.
struct AdminOptions: ParsableArguments {
    @Option(name: .customLong("admin"), help: ArgumentHelp(
        "An admin: PROGRAM=PERSON (UUIDs), or *=PERSON for every program. Repeatable.", valueName: "program=person"))
    var admins: [String] = []

    @Option(help: ArgumentHelp(
        "A JSON file of admins: {\"global\": [person…], \"programs\": {program: [person…]}} (as `ledger simulate --admins-file` writes).",
        valueName: "file"))
    var adminsFile: String?

    func programAdmins() throws -> ProgramAdmins {
        var result = ProgramAdmins()
        if let adminsFile { result = try Self.load(adminsFile) }
        for entry in admins {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let person = UUID(uuidString: parts[1]) else {
                throw ValidationError("--admin \(entry): expected PROGRAM=PERSON or *=PERSON with UUIDs")
            }
            if parts[0] == "*" {
                result.global.insert(person)
            } else if let program = UUID(uuidString: parts[0]) {
                result.byProgram[program, default: []].insert(person)
            } else {
                throw ValidationError("--admin \(entry): '\(parts[0])' is not a program UUID or *")
            }
        }
        return result
    }

    static func load(_ path: String) throws -> ProgramAdmins {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ToolError("--admins-file \(path) cannot be read: \(error.localizedDescription)")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw ToolError("--admins-file \(path) is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw ToolError("--admins-file \(path): expected an object with \"global\" and \"programs\"")
        }
        var result = ProgramAdmins()
        for member in object.members {
            switch (member.key, member.value) {
            case ("global", .array(let people)):
                for person in people { result.global.insert(try uuid(person, "global", path)) }
            case ("programs", .object(let programs)):
                for program in programs.members {
                    guard let id = UUID(uuidString: program.key) else {
                        throw ToolError("--admins-file \(path): programs key '\(program.key)' is not a UUID")
                    }
                    guard case .array(let people) = program.value else {
                        throw ToolError("--admins-file \(path): programs.\(program.key) must be an array of UUIDs")
                    }
                    for person in people { result.byProgram[id, default: []].insert(try uuid(person, "programs.\(program.key)", path)) }
                }
            default:
                throw ToolError("--admins-file \(path): '\(member.key)' must be \"global\" (an array) or \"programs\" (an object)")
            }
        }
        return result
    }

    private static func uuid(_ value: JSONValue, _ field: String, _ path: String) throws -> UUID {
        guard case .string(let text) = value, let id = UUID(uuidString: text) else {
            throw ToolError("--admins-file \(path): \(field) holds \(value.typeName) that is not a UUID string")
        }
        return id
    }

    /// The JSON text of `admins`, as ``load(_:)`` reads it.
    static func json(_ admins: ProgramAdmins) -> String {
        let global = JSONValue.array(admins.global.map { .string($0.uuidString.lowercased()) }.sorted { $0.serialized < $1.serialized })
        let programs = JSONObject(admins.byProgram.keys.sorted { $0.uuidString < $1.uuidString }.map { program in
            JSONMember(key: program.uuidString.lowercased(),
                       value: .array((admins.byProgram[program] ?? []).map { .string($0.uuidString.lowercased()) }.sorted { $0.serialized < $1.serialized }))
        })
        return JSONValue.object(JSONObject([JSONMember(key: "global", value: global), JSONMember(key: "programs", value: .object(programs))])).serialized
    }
}
