/// A command-line argument the example cannot use, with a message naming it.
///
/// ``ExampleArguments/parse(_:program:acceptsOutput:)`` throws it for a bad argument, and
/// ``ExampleArguments/fromCommandLine(program:acceptsOutput:)`` prints its ``message`` before the
/// usage. An example can also throw one itself for an argument it finds unusable later, such as an
/// `--output` file it cannot write.
public struct ArgumentError: Error, CustomStringConvertible, Equatable {
    /// What is wrong, naming the argument.
    public let message: String

    /// Creates an error with `message`.
    ///
    /// - Parameter message: What is wrong, naming the argument.
    public init(_ message: String) { self.message = message }

    /// The ``message``.
    public var description: String { message }
}
