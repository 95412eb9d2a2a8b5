//! Decoders: turn a blob into derived blobs worth scanning again, each with the position it
//! came from. Only encodings so far ([`encoded`]: base64 and percent-encoding); config-store
//! formats and archives come with #4. Pure: bytes in, derived bytes out.

pub mod encoded;
