//! Measures how often sprawl's placeholder checks call a random key a stand-in: random values
//! of common key alphabets and lengths (xorshift, fixed seed), counted per alphabet and length.
//!
//! usage: cargo run --release --example placeholder_rate -- [PER_CELL]

use sprawl::detect::verify::is_placeholder;

fn main() {
    let per: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let alphabets: [(&str, &[u8]); 5] = [
        ("hex", b"0123456789abcdef"),
        ("HEX", b"0123456789ABCDEF"),
        ("base32", b"abcdefghijklmnopqrstuvwxyz234567"),
        (
            "base62",
            b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        ),
        (
            "base64url",
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        ),
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    println!("| alphabet | length | stand-ins per {per} random values |");
    println!("| --- | ---: | ---: |");
    for (name, alpha) in alphabets {
        for len in [12usize, 16, 20, 24, 32, 40, 64] {
            let mut hits = 0;
            let mut v = vec![0u8; len];
            for _ in 0..per {
                for b in v.iter_mut() {
                    *b = alpha[(next() % alpha.len() as u64) as usize];
                }
                if is_placeholder(&v) {
                    hits += 1;
                }
            }
            println!("| {name} | {len} | {hits} |");
        }
    }
}
