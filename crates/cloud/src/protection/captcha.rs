//! Captcha pictures the cloud draws itself: four characters from an alphabet with
//! nothing confusable (no 0/O, 1/I/L), drawn with a round pen along the strokes
//! of a 5x7 grid font, smoothed and tilted a little, over noise lines and
//! speckles, encoded as PNG. Meant to be read by people and by
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

/// The strokes of a glyph, in grid units (column, row): each lit cell joined
/// to its lit neighbours to the right, below and on both diagonals below, so
/// the bitmap becomes lines a pen could draw; a lone cell is a dot.
fn strokes(c: u8) -> Vec<[(f32, f32); 2]> {
    let rows = glyph(c);
    let lit = |col: i32, row: i32| {
        (0..5).contains(&col) && (0..7).contains(&row) && rows[row as usize] & (0x10 >> col) != 0
    };
    let mut out = Vec::new();
    for row in 0..7 {
        for col in 0..5 {
            if !lit(col, row) {
                continue;
            }
            let here = (col as f32, row as f32);
            let mut joined = false;
            for (dc, dr) in [(1, 0), (0, 1), (1, 1), (-1, 1)] {
                // A diagonal only where no straight path already joins them.
                let diagonal = dc != 0 && dr != 0;
                if lit(col + dc, row + dr)
                    && !(diagonal && (lit(col + dc, row) || lit(col, row + dr)))
                {
                    out.push([here, ((col + dc) as f32, (row + dr) as f32)]);
                    joined = true;
                }
            }
            let joined_from_before = [(-1, 0), (0, -1), (-1, -1), (1, -1)]
                .iter()
                .any(|(dc, dr)| lit(col + dc, row + dr));
            if !joined && !joined_from_before {
                out.push([here, here]);
            }
        }
    }
    out
}

/// Distance from `p` to the segment `s`.
fn distance(p: (f32, f32), s: [(f32, f32); 2]) -> f32 {
    let [(ax, ay), (bx, by)] = s;
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - ax) * dx + (p.1 - ay) * dy) / len2).clamp(0.0, 1.0)
    };
    let (cx, cy) = (ax + t * dx - p.0, ay + t * dy - p.1);
    (cx * cx + cy * cy).sqrt()
}

/// The picture of `text` as PNG bytes: each character drawn with a round
/// pen along its strokes, smoothed at the edges, tilted a little.
pub fn render(text: &str) -> Vec<u8> {
    let mut px = vec![0f32; WIDTH * HEIGHT * 3];
    let noise = random_bytes::<64>();
    for (i, chunk) in px.chunks_mut(3).enumerate() {
        let shade = f32::from(236 + (noise[i % 64] % 16));
        chunk.copy_from_slice(&[shade, shade, shade - 6.0]);
    }
    // Mix `rgb` into a pixel by `cover` (0 to 1).
    let mut blend = |x: usize, y: usize, rgb: [f32; 3], cover: f32| {
        if x < WIDTH && y < HEIGHT && cover > 0.0 {
            let i = (y * WIDTH + x) * 3;
            for k in 0..3 {
                px[i + k] += (rgb[k] - px[i + k]) * cover.min(1.0);
            }
        }
    };
    // Thin noise lines behind the text.
    let lines = random_bytes::<12>();
    for l in lines.chunks(4) {
        let (y0, y1) = (
            f32::from(l[0]) % HEIGHT as f32,
            f32::from(l[1]) % HEIGHT as f32,
        );
        let tint = [
            f32::from(120 + l[2] % 100),
            f32::from(120 + l[3] % 100),
            160.0,
        ];
        let line = [(0.0, y0), (WIDTH as f32, y1)];
        for y in 0..HEIGHT {
            for x in 0..WIDTH {
                let d = distance((x as f32 + 0.5, y as f32 + 0.5), line);
                blend(x, y, tint, (1.0 - d) * 0.8);
            }
        }
    }
    let jitter = random_bytes::<12>();
    let cell = WIDTH as f32 / LEN as f32;
    // One grid unit in pixels, and the pen's half width.
    let unit = SCALE as f32 + 1.2;
    let pen = unit * 0.42;
    for (i, c) in text.bytes().take(LEN).enumerate() {
        let centre = (
            cell * (i as f32 + 0.5) + f32::from(jitter[i] % 7) - 3.0,
            HEIGHT as f32 / 2.0 + f32::from(jitter[i + 4] % 9) - 4.0,
        );
        let angle = (f32::from(jitter[i + 8]) / 255.0 - 0.5) * 0.5;
        let (sin, cos) = angle.sin_cos();
        let ink = [
            f32::from(20 + jitter[i] % 60),
            30.0,
            f32::from(60 + jitter[i + 4] % 90),
        ];
        let lines = strokes(c);
        let reach = 4.5 * unit + pen + 2.0;
        let (x0, x1) = (
            (centre.0 - reach).max(0.0) as usize,
            (centre.0 + reach) as usize,
        );
        let (y0, y1) = (
            (centre.1 - reach).max(0.0) as usize,
            (centre.1 + reach) as usize,
        );
        for y in y0..y1.min(HEIGHT) {
            for x in x0..x1.min(WIDTH) {
                // Back into the glyph's grid: untilted, centred on (2, 3).
                let (dx, dy) = (x as f32 + 0.5 - centre.0, y as f32 + 0.5 - centre.1);
                let u = (dx * cos + dy * sin) / unit + 2.0;
                let v = (-dx * sin + dy * cos) / unit + 3.0;
                let d = lines
                    .iter()
                    .map(|s| distance((u, v), *s))
                    .fold(f32::MAX, f32::min)
                    * unit;
                blend(x, y, ink, pen + 0.5 - d);
            }
        }
    }
    // Speckles over the text.
    for s in random_bytes::<32>().chunks(2) {
        let (x, y) = (
            usize::from(s[0]) * WIDTH / 256,
            usize::from(s[1]) * HEIGHT / 256,
        );
        blend(x, y, [90.0, 90.0, 90.0], 1.0);
    }
    let bytes: Vec<u8> = px.iter().map(|v| v.clamp(0.0, 255.0) as u8).collect();
    encode(&bytes)
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
