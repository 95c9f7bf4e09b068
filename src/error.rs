//! The one error type of the embedding API, and traps.

use core::fmt;
pub use weft_dispatch::trap::TrapCode;

/// A Wasm trap: execution stopped abnormally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    code: TrapCode,
}

impl Trap {
    /// A trap with the given code.
    pub fn new(code: TrapCode) -> Self {
        Trap { code }
    }

    /// Why it trapped.
    pub fn code(&self) -> TrapCode {
        self.code
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.code)
    }
}

impl std::error::Error for Trap {}

/// Everything that can go wrong when compiling, linking, instantiating or calling.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The module is malformed or invalid, or uses a proposal weft does not implement.
    Compile(String),
    /// The module's text format could not be parsed.
    Wat(String),
    /// An import is missing or does not match.
    Link(String),
    /// Execution trapped (also during instantiation).
    Trap(Trap),
    /// A host function failed.
    Host(Box<dyn std::error::Error + Send + Sync>),
    /// Values of the wrong type or number, or an unknown export or executor.
    Usage(String),
    /// A memory or table beyond weft's limits.
    Resource(String),
    /// Reading a module file failed.
    Io(std::io::Error),
}

impl Error {
    /// The trap code, if this error is a trap.
    pub fn trap_code(&self) -> Option<TrapCode> {
        match self {
            Error::Trap(t) => Some(t.code()),
            _ => None,
        }
    }

    /// A usage error with a message.
    pub fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }

    /// A host error carrying any message, for host functions that fail.
    pub fn msg(msg: impl fmt::Display) -> Self {
        Error::Host(msg.to_string().into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Compile(m) => write!(f, "invalid module: {m}"),
            Error::Wat(m) => write!(f, "cannot parse text module: {m}"),
            Error::Link(m) => write!(f, "link error: {m}"),
            Error::Trap(t) => write!(f, "{t}"),
            Error::Host(e) => write!(f, "host error: {e}"),
            Error::Usage(m) => f.write_str(m),
            Error::Resource(m) => write!(f, "resource limit: {m}"),
            Error::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Trap> for Error {
    fn from(t: Trap) -> Self {
        Error::Trap(t)
    }
}

impl From<weft_dispatch::ExecError> for Error {
    fn from(e: weft_dispatch::ExecError) -> Self {
        match e {
            weft_dispatch::ExecError::Trap(code) => Error::Trap(Trap::new(code)),
            // A host function that failed with a weft error (say, a trap of a nested
            // call) gets that error back unchanged.
            weft_dispatch::ExecError::Host(e) => match e.downcast::<Error>() {
                Ok(e) => *e,
                // A function of a lazily compiled module whose body is invalid.
                Err(e) => match e.downcast::<weft_dispatch::code::LazyCompileError>() {
                    Ok(e) => Error::Compile(e.0),
                    Err(e) => Error::Host(e),
                },
            },
        }
    }
}

impl From<weft_dispatch::instantiate::InstantiateError> for Error {
    fn from(e: weft_dispatch::instantiate::InstantiateError) -> Self {
        use weft_dispatch::instantiate::InstantiateError as I;
        match e {
            I::Link(m) => Error::Link(m),
            I::Resource(m) => Error::Resource(m),
            I::Exec(e) => e.into(),
        }
    }
}

/// `Result` with weft's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
