//! The countdown drawn into the tray icon. ksni (our tray backend) cannot set the label GNOME's panel shows
//! beside an icon, and KDE shows the title only on hover: the icon's pixels are the one surface every host draws
//! (`../shared/guides/desktop-day.md` §3). A dark band across the bottom with up to three glyphs of a tiny
//! pixel font ("12", "3h", "NOW"), scaled to the icon.

/// Glyphs as rows of `#`: digits and the few letters badges use. Unknown characters are left out.
fn glyph(c: char) -> Option<&'static [&'static str; 5]> {
    Some(match c {
        '0' => &["###", "#.#", "#.#", "#.#", "###"],
        '1' => &[".#.", "##.", ".#.", ".#.", "###"],
        '2' => &["###", "..#", "###", "#..", "###"],
        '3' => &["###", "..#", "###", "..#", "###"],
        '4' => &["#.#", "#.#", "###", "..#", "..#"],
        '5' => &["###", "#..", "###", "..#", "###"],
        '6' => &["###", "#..", "###", "#.#", "###"],
        '7' => &["###", "..#", ".#.", ".#.", ".#."],
        '8' => &["###", "#.#", "###", "#.#", "###"],
        '9' => &["###", "#.#", "###", "..#", "###"],
        'h' => &["#..", "#..", "###", "#.#", "#.#"],
        'd' => &["..#", "..#", "###", "#.#", "###"],
        'N' => &["#.#", "###", "###", "###", "#.#"],
        'O' => &["###", "#.#", "#.#", "#.#", "###"],
        'W' => &["#.#", "#.#", "###", "###", "#.#"],
        _ => return None,
    })
}

/// `rgba` (`width` × `height`) with `text` drawn in a band across its bottom.
pub fn with_badge(rgba: &[u8], width: u32, height: u32, text: &str) -> Vec<u8> {
    let mut out = rgba.to_vec();
    let (w, h) = (width as usize, height as usize);
    if out.len() != w * h * 4 || w == 0 || h == 0 {
        return out;
    }
    let glyphs: Vec<_> = text.chars().filter_map(glyph).take(3).collect();
    if glyphs.is_empty() {
        return out;
    }
    // Units: 3 per glyph, 1 between glyphs, 1 of margin each side; 5 tall plus 1 of margin above and below.
    let units_wide = glyphs.len() * 4 + 1;
    let scale = (w / units_wide).min(h * 6 / 10 / 7).max(1);
    let band_h = 7 * scale;
    let band_w = units_wide * scale;
    let (left, top) = ((w - band_w.min(w)) / 2, h - band_h.min(h));
    let mut put = |x: usize, y: usize, px: [u8; 4]| {
        if x < w && y < h {
            let i = (y * w + x) * 4;
            out[i..i + 4].copy_from_slice(&px);
        }
    };
    for y in top..top + band_h {
        for x in left..left + band_w {
            put(x, y, [32, 33, 36, 240]);
        }
    }
    for (n, rows) in glyphs.iter().enumerate() {
        let gx = left + (1 + n * 4) * scale;
        for (row, line) in rows.iter().enumerate() {
            for (col, cell) in line.bytes().enumerate() {
                if cell == b'#' {
                    for dy in 0..scale {
                        for dx in 0..scale {
                            put(gx + col * scale + dx, top + (1 + row) * scale + dy, [255, 255, 255, 255]);
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(size: u32) -> Vec<u8> {
        vec![0; (size * size * 4) as usize]
    }

    fn white(rgba: &[u8]) -> usize {
        rgba.chunks(4).filter(|p| *p == [255, 255, 255, 255]).count()
    }

    #[test]
    fn the_badge_draws_its_glyphs_in_the_bottom_band_and_nothing_for_nothing() {
        let icon = blank(256);
        let twelve = with_badge(&icon, 256, 256, "12");
        let now = with_badge(&icon, 256, 256, "NOW");
        assert!(white(&twelve) > 0 && white(&now) > white(&twelve), "three glyphs ink more than two thin ones");
        assert_ne!(with_badge(&icon, 256, 256, "13"), twelve, "another count, other pixels");
        // The top of the icon stays as it was.
        assert_eq!(&twelve[..256 * 4 * 100], &icon[..256 * 4 * 100]);
        assert_eq!(with_badge(&icon, 256, 256, ""), icon);
        assert_eq!(with_badge(&icon, 256, 256, "?!"), icon, "unknown characters draw nothing");
        // Small icons and wrong sizes do not panic.
        assert_ne!(with_badge(&blank(22), 22, 22, "NOW"), blank(22));
        assert_eq!(with_badge(&[0; 7], 22, 22, "1"), vec![0; 7]);
    }
}
