//! Captcha pictures the cloud draws itself: four characters from an alphabet with
//! nothing confusable (no 0/O, 1/I/L), a 5x7 bitmap font scaled up with jitter,
//! noise lines and speckles, encoded as PNG. Meant to be read by people and by
//! QA through `/qa/captcha`, not to defeat OCR.

use crate::crypto::random_bytes;

pub const ALPHABET: &[u8] = b"23456789ACDEFHJKMNPRTWXY";
const LEN: usize = 4;
const SCALE: usize = 4;
const WIDTH: usize = 160;
const HEIGHT: usize = 60;

/// Rows of each glyph, top to bottom, 5 bits each (most significant = left).
fn glyph(c: u8) -> [u8; 7] {
    match c {
        b'2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        b'3' => [0x1E, 0x01, 0x01, 0x0E, 0x01, 0x01, 0x1E],
        b'4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        b'5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        b'6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        b'7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        b'8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        b'9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        b'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        b'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        b'D' => [0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E],
        b'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        b'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        b'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        b'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        b'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        b'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        b'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        b'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        b'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        b'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        b'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        b'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        b'Y' => [0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04],
        _ => [0; 7],
    }
}

/// A fresh answer: four characters of `ALPHABET`, uniformly.
pub fn answer() -> String {
    let n = ALPHABET.len();
    let limit = (256 / n * n) as u8;
    let mut out = String::with_capacity(LEN);
    while out.len() < LEN {
        for b in random_bytes::<8>() {
            if b < limit && out.len() < LEN {
                out.push(char::from(ALPHABET[usize::from(b) % n]));
            }
        }
    }
    out
}

/// The picture of `text` as PNG bytes.
pub fn render(text: &str) -> Vec<u8> {
    let mut px = vec![0u8; WIDTH * HEIGHT * 3];
    let noise = random_bytes::<64>();
    for (i, chunk) in px.chunks_mut(3).enumerate() {
        let shade = 236 + (noise[i % 64] % 16);
        chunk.copy_from_slice(&[shade, shade, shade.saturating_sub(6)]);
    }
    let mut put = |x: usize, y: usize, rgb: [u8; 3]| {
        if x < WIDTH && y < HEIGHT {
            let i = (y * WIDTH + x) * 3;
            px[i..i + 3].copy_from_slice(&rgb);
        }
    };
    // Noise lines behind the text.
    let lines = random_bytes::<12>();
    for l in lines.chunks(4) {
        let (y0, y1) = (usize::from(l[0]) % HEIGHT, usize::from(l[1]) % HEIGHT);
        let tint = [120 + l[2] % 100, 120 + l[3] % 100, 160];
        for x in 0..WIDTH {
            let y = y0 + (y1.abs_diff(y0) * x / WIDTH);
            put(x, y.min(HEIGHT - 1), tint);
        }
    }
    let jitter = random_bytes::<8>();
    let cell = WIDTH / (LEN + 1);
    for (i, c) in text.bytes().take(LEN).enumerate() {
        let x0 = cell / 2 + i * cell + usize::from(jitter[i] % 6);
        let y0 = 10 + usize::from(jitter[i + 4] % 14);
        let ink = [20 + jitter[i] % 60, 30, 60 + jitter[i + 4] % 90];
        for (row, bits) in glyph(c).iter().enumerate() {
            for col in 0..5 {
                if bits & (0x10 >> col) != 0 {
                    for dy in 0..SCALE {
                        for dx in 0..SCALE {
                            put(x0 + col * SCALE + dx, y0 + row * SCALE + dy, ink);
                        }
                    }
                }
            }
        }
    }
    // Speckles over the text.
    for s in random_bytes::<32>().chunks(2) {
        let (x, y) = (
            usize::from(s[0]) * WIDTH / 256,
            usize::from(s[1]) * HEIGHT / 256,
        );
        put(x, y, [90, 90, 90]);
    }
    encode(&px)
}

fn encode(rgb: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH as u32, HEIGHT as u32);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let written = encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(rgb));
    if let Err(e) = written {
        tracing::error!(error = %e, "could not encode the captcha picture");
        return Vec::new();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_use_the_unambiguous_alphabet_and_pictures_are_png() {
        for _ in 0..50 {
            let a = answer();
            assert_eq!(a.len(), 4);
            assert!(a.bytes().all(|b| ALPHABET.contains(&b)), "{a}");
        }
        for &c in ALPHABET {
            assert_ne!(glyph(c), [0; 7], "no glyph for {}", c as char);
        }
        let png = render("A7K2");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(png.len() > 500);
    }
}
