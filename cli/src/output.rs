//! What the commands print: JSON objects, the recovery phrase grid, tag lists, claim values.

use std::io::Write;

use serde::Serialize;
use wallet_core::store::Tag;
use zeroize::Zeroizing;

use crate::exit::CliResult;

/// A claim value for text output: a string as itself, anything else as compact JSON.
pub fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Words per row of the recovery phrase grid.
const GRID_COLUMNS: usize = 4;

/// Prints `value` to stdout as one pretty JSON object followed by a newline.
pub fn print_json<T: Serialize>(value: &T) -> CliResult {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// A tag as it appears in JSON output.
#[derive(Debug, Serialize)]
pub struct TagJson<'a> {
    /// The tag's name.
    pub name: &'a str,
    /// The tag's value.
    pub value: &'a str,
}

/// Tags in JSON form, in their stored order.
pub fn tags_json(tags: &[Tag]) -> Vec<TagJson<'_>> {
    tags.iter()
        .map(|t| TagJson {
            name: &t.name,
            value: &t.value,
        })
        .collect()
}

/// Tags as `name=value` separated by spaces.
pub fn tags_text(tags: &[Tag]) -> String {
    tags.iter()
        .map(|t| format!("{}={}", t.name, t.value))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words numbered from 1, four to a row, read left to right then down.
pub fn word_grid(words: &[Zeroizing<String>]) -> Zeroizing<String> {
    let width = words.iter().map(|w| w.len()).max().unwrap_or(0);
    let mut grid = Zeroizing::new(String::with_capacity(words.len() * (width + 8)));
    for (row_start, row) in words.chunks(GRID_COLUMNS).enumerate() {
        for (col, word) in row.iter().enumerate() {
            let number = row_start * GRID_COLUMNS + col + 1;
            if col > 0 {
                grid.push_str("   ");
            }
            grid.push_str(&format!("{number:>2}. "));
            grid.push_str(word);
            if col + 1 < row.len() {
                grid.extend(std::iter::repeat_n(' ', width - word.len()));
            }
        }
        grid.push('\n');
    }
    grid
}

/// Prints the recovery phrase once, with the warning that goes with it.
pub fn print_recovery_phrase(words: &[Zeroizing<String>]) -> CliResult {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Recovery phrase: write these {} words down on paper, in order, and keep them safe.\n\
         They are shown only this once. Anyone who has them can open this wallet;\n\
         without them a forgotten PIN or a lost phone means losing everything in it.\n",
        words.len()
    )?;
    out.write_all(word_grid(words).as_bytes())?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_numbers_every_word_in_order() {
        let words: Vec<Zeroizing<String>> = ["ab", "abcdef", "c", "d", "e", "f"]
            .iter()
            .map(|w| Zeroizing::new(w.to_string()))
            .collect();
        let grid = word_grid(&words);
        let lines: Vec<&str> = grid.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], " 1. ab        2. abcdef    3. c         4. d");
        assert_eq!(lines[1], " 5. e         6. f");
    }

    #[test]
    fn values_print_plainly() {
        assert_eq!(value_text(&serde_json::json!("Amina")), "Amina");
        assert_eq!(value_text(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
    }

    #[test]
    fn tags_print_as_name_value_pairs() {
        let tags = [Tag::new("a", "1"), Tag::new("b", "x y")];
        assert_eq!(tags_text(&tags), "a=1 b=x y");
    }
}
