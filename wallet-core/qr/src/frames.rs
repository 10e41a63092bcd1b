//! Animated QR sequences: a message too large for one comfortable code is cut into frames
//! with a RaptorQ erasure code (RFC 6330, `raptorq` crate), so a scanner rebuilds it from any
//! sufficient set of frames, seen in any order, with duplicates and dropped frames.
//!
//! Frame text: `LZF1:` + Base45 of CBOR `[message id (8 bytes), total length, symbol size,
//! encoding symbol id, symbol]`. The message id is the first 8 bytes of SHA-256 of the
//! message, so two different messages never share an id and the rebuilt message is checked
//! against it. Then every frame received is checked against the frame the rebuilt message
//! gives for its symbol id: RaptorQ ignores what lies past the message's end in the last
//! source symbol (padding) and frames it did not need, so without this check a code changed
//! there would still be accepted.

use std::collections::HashMap;

use ciborium::Value;
use raptorq::{Decoder, Encoder, EncodingPacket, ObjectTransmissionInformation, PayloadId};

use super::envelope::{self, Envelope, MAX_PAYLOAD_LEN, strip_prefix};
use super::error::{QrError, QrResult};

/// Prefix of an animated-sequence frame, format version 1.
pub const FRAME_PREFIX: &str = "LZF1:";
/// Characters one frame may take by default: a version 20 QR at ECC level M holds 970
/// alphanumeric characters.
pub const DEFAULT_MAX_FRAME_CHARS: usize = 970;
/// Longest message shown as one code by default, in characters: everything a version 40 code
/// holds at ECC level M. At every size measured (1,248 to 3,300 characters) one dense code
/// of the smallest version reached a complete answer sooner than the animated sequence of
/// version 20 codes, on the camera-like frame set (ADR 0015, `docs/BENCHMARKS.md`, "One code
/// per answer").
pub const DEFAULT_ONE_CODE_MAX_CHARS: usize = 3_391;
/// The symbol alignment RaptorQ uses here.
const ALIGNMENT: u16 = 8;
/// Smallest and largest symbol sizes accepted from a frame.
const MIN_SYMBOL: u16 = 16;
const MAX_SYMBOL: u16 = 2_048;
/// Most distinct frames one message may need or send.
pub const MAX_FRAMES: u32 = 4_096;
/// Bytes of a frame that are not the symbol (CBOR framing and header fields), at most.
const FRAME_OVERHEAD: usize = 32;

/// How to cut a message into frames.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameOptions {
    /// Characters per frame of an animated sequence at most (see [`DEFAULT_MAX_FRAME_CHARS`]);
    /// a message this short is always one code.
    pub max_frame_chars: usize,
    /// A message of at most this many characters is shown as one code even when it is longer
    /// than `max_frame_chars` (see [`DEFAULT_ONE_CODE_MAX_CHARS`]; below `max_frame_chars` it
    /// changes nothing).
    pub one_code_max_chars: usize,
    /// Extra repair frames as a fraction of the frames needed (0.5: half as many again).
    pub repair_ratio: f32,
}

impl Default for FrameOptions {
    fn default() -> Self {
        Self {
            max_frame_chars: DEFAULT_MAX_FRAME_CHARS,
            one_code_max_chars: DEFAULT_ONE_CODE_MAX_CHARS,
            repair_ratio: 0.5,
        }
    }
}

/// A message's display form: one code if its text is at most [`one_code_limit`] characters,
/// else an animated sequence of frames of at most `max_frame_chars`.
pub fn encode_for_display(message: &Envelope, options: &FrameOptions) -> QrResult<Vec<String>> {
    let single = envelope::encode(message)?;
    if shows_as_one_code(single.len(), options) {
        return Ok(vec![single]);
    }
    split(&envelope::to_bytes(message)?, options)
}

/// The longest message text (`LZ1:` + Base45) that `options` show as one code: the larger of
/// `max_frame_chars` and `one_code_max_chars`.
pub fn one_code_limit(options: &FrameOptions) -> usize {
    options.max_frame_chars.max(options.one_code_max_chars)
}

/// Whether a message text of `chars` characters is shown as one code (the rule of ADR 0015).
pub fn shows_as_one_code(chars: usize, options: &FrameOptions) -> bool {
    chars <= one_code_limit(options)
}

fn message_id(bytes: &[u8]) -> [u8; 8] {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut id = [0u8; 8];
    id.copy_from_slice(&digest.as_ref()[..8]);
    id
}

/// Source frames (the fewest a scanner must read) of an animated sequence of `message_len`
/// message bytes ([`envelope::to_bytes`]) cut with `options`.
pub fn source_frames(message_len: usize, options: &FrameOptions) -> QrResult<u32> {
    let symbol = usize::from(symbol_size_for(options.max_frame_chars)?);
    u32::try_from(message_len.div_ceil(symbol)).map_err(|_| QrError::TooLarge("frames needed"))
}

fn symbol_size_for(max_frame_chars: usize) -> QrResult<u16> {
    // Base45 turns 2 bytes into 3 characters.
    let budget = max_frame_chars.saturating_sub(FRAME_PREFIX.len()) / 3 * 2;
    let symbol = budget
        .saturating_sub(FRAME_OVERHEAD)
        .min(usize::from(MAX_SYMBOL));
    let aligned = (symbol as u16) / ALIGNMENT * ALIGNMENT;
    if aligned < MIN_SYMBOL {
        return Err(QrError::Encode("frames too small to carry data"));
    }
    Ok(aligned)
}

fn config(total_len: u64, symbol_size: u16) -> QrResult<ObjectTransmissionInformation> {
    if total_len == 0 || total_len > MAX_PAYLOAD_LEN as u64 {
        return Err(QrError::TooLarge("animated message"));
    }
    if !(MIN_SYMBOL..=MAX_SYMBOL).contains(&symbol_size) || symbol_size % ALIGNMENT != 0 {
        return Err(QrError::Malformed("symbol size"));
    }
    let symbols = total_len.div_ceil(u64::from(symbol_size));
    if symbols > u64::from(MAX_FRAMES) {
        return Err(QrError::TooLarge("frames needed"));
    }
    // Checked above, so the crate's own assertions cannot fire.
    Ok(ObjectTransmissionInformation::new(
        total_len,
        symbol_size,
        1,
        1,
        ALIGNMENT as u8,
    ))
}

/// Cuts message bytes (from [`envelope::to_bytes`]) into frame texts.
pub fn split(bytes: &[u8], options: &FrameOptions) -> QrResult<Vec<String>> {
    let symbol_size = symbol_size_for(options.max_frame_chars)?;
    let oti = config(bytes.len() as u64, symbol_size)?;
    let source = bytes.len().div_ceil(usize::from(symbol_size)) as u32;
    let ratio = if options.repair_ratio.is_finite() {
        options.repair_ratio.clamp(0.0, 4.0)
    } else {
        0.5
    };
    let repair = ((source as f32 * ratio).ceil() as u32).max(2);
    if source + repair > MAX_FRAMES {
        return Err(QrError::TooLarge("frames"));
    }
    let id = message_id(bytes);
    let encoder = Encoder::new(bytes, oti);
    encoder
        .get_encoded_packets(repair)
        .into_iter()
        .map(|packet| {
            let (payload_id, symbol) = packet.split();
            let frame = Value::Array(vec![
                Value::Bytes(id.to_vec()),
                Value::Integer(bytes.len().into()),
                Value::Integer(symbol_size.into()),
                Value::Integer(payload_id.encoding_symbol_id().into()),
                Value::Bytes(symbol),
            ]);
            let mut cbor = Vec::new();
            ciborium::into_writer(&frame, &mut cbor).map_err(|_| QrError::Encode("frame"))?;
            Ok(format!("{FRAME_PREFIX}{}", base45::encode(&cbor)))
        })
        .collect()
}

/// One parsed frame.
struct Frame {
    id: [u8; 8],
    total_len: u64,
    symbol_size: u16,
    esi: u32,
    symbol: Vec<u8>,
}

fn uint(value: &Value, what: &'static str) -> QrResult<u64> {
    match value {
        Value::Integer(i) => u64::try_from(*i).map_err(|_| QrError::Malformed(what)),
        _ => Err(QrError::Malformed(what)),
    }
}

fn parse_frame(text: &str) -> QrResult<Frame> {
    if text.len() > envelope::MAX_TEXT_LEN {
        return Err(QrError::TooLarge("frame text"));
    }
    let body = strip_prefix(text, FRAME_PREFIX)?;
    let cbor = base45::decode(body).map_err(|_| QrError::BadBase45)?;
    let value: Value = ciborium::from_reader(cbor.as_slice())
        .map_err(|_| QrError::Malformed("frame is not CBOR"))?;
    let Value::Array(items) = value else {
        return Err(QrError::Malformed("frame is not an array"));
    };
    let [Value::Bytes(id), total, size, esi, Value::Bytes(symbol)] = items.as_slice() else {
        return Err(QrError::Malformed("frame fields"));
    };
    let id: [u8; 8] = id
        .as_slice()
        .try_into()
        .map_err(|_| QrError::Malformed("message id"))?;
    let symbol_size =
        u16::try_from(uint(size, "symbol size")?).map_err(|_| QrError::Malformed("symbol size"))?;
    let esi =
        u32::try_from(uint(esi, "symbol id")?).map_err(|_| QrError::Malformed("symbol id"))?;
    if symbol.len() != usize::from(symbol_size) {
        return Err(QrError::Malformed("symbol length"));
    }
    // RaptorQ symbol ids are 24 bits; more frames than that are never sent.
    if esi >= (1 << 24) {
        return Err(QrError::Malformed("symbol id"));
    }
    Ok(Frame {
        id,
        total_len: uint(total, "total length")?,
        symbol_size,
        esi,
        symbol: symbol.clone(),
    })
}

/// Where an animated transfer stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameProgress {
    /// More frames are needed.
    Incomplete {
        /// Distinct frames received so far.
        useful: u32,
        /// Frames needed at the least (the decoder may want one or two more).
        needed: u32,
    },
    /// The message is complete.
    Complete(Envelope),
}

/// Rebuilds one animated message from its frames.
#[derive(Default)]
pub struct FrameAssembler {
    state: Option<Assembly>,
    done: Option<Envelope>,
}

struct Assembly {
    id: [u8; 8],
    total_len: u64,
    symbol_size: u16,
    decoder: Decoder,
    /// Every distinct frame received, by symbol id: checked once the message is rebuilt.
    seen: HashMap<u32, Vec<u8>>,
}

impl std::fmt::Debug for FrameAssembler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FrameAssembler")
            .field("progress", &self.progress())
            .finish()
    }
}

impl FrameAssembler {
    /// An empty assembler.
    pub fn new() -> Self {
        Self::default()
    }

    /// Where the transfer stands.
    pub fn progress(&self) -> FrameProgress {
        if let Some(done) = &self.done {
            return FrameProgress::Complete(done.clone());
        }
        match &self.state {
            None => FrameProgress::Incomplete {
                useful: 0,
                needed: 0,
            },
            Some(a) => FrameProgress::Incomplete {
                useful: a.seen.len() as u32,
                needed: a.total_len.div_ceil(u64::from(a.symbol_size)) as u32,
            },
        }
    }

    /// Takes one frame text. A frame of another message gives [`QrError::MixedMessages`] and
    /// leaves the assembly as it was; call [`FrameAssembler::reset`] to switch messages.
    pub fn push(&mut self, text: &str) -> QrResult<FrameProgress> {
        if self.done.is_some() {
            return Ok(self.progress());
        }
        let frame = parse_frame(text)?;
        if self.state.is_none() {
            let oti = config(frame.total_len, frame.symbol_size)?;
            self.state = Some(Assembly {
                id: frame.id,
                total_len: frame.total_len,
                symbol_size: frame.symbol_size,
                decoder: Decoder::new(oti),
                seen: HashMap::new(),
            });
        }
        let Some(assembly) = self.state.as_mut() else {
            return Err(QrError::InconsistentFrame("no assembly"));
        };
        if frame.id != assembly.id {
            return Err(QrError::MixedMessages);
        }
        if frame.total_len != assembly.total_len || frame.symbol_size != assembly.symbol_size {
            return Err(QrError::InconsistentFrame(
                "sizes differ from earlier frames",
            ));
        }
        if assembly.seen.len() as u32 >= MAX_FRAMES * 2 {
            return Err(QrError::TooLarge("frames received"));
        }
        if let Some(earlier) = assembly.seen.get(&frame.esi) {
            if *earlier != frame.symbol {
                return Err(QrError::InconsistentFrame(
                    "two frames with the same symbol id differ",
                ));
            }
            return Ok(self.progress());
        }
        assembly.seen.insert(frame.esi, frame.symbol.clone());
        let packet = EncodingPacket::new(PayloadId::new(0, frame.esi), frame.symbol);
        if let Some(bytes) = assembly.decoder.decode(packet) {
            if message_id(&bytes) != assembly.id {
                self.state = None;
                return Err(QrError::InconsistentFrame(
                    "rebuilt message does not match its id",
                ));
            }
            if !frames_match(&bytes, assembly) {
                self.state = None;
                return Err(QrError::InconsistentFrame(
                    "a frame differs from the rebuilt message's",
                ));
            }
            self.done = Some(envelope::from_bytes(&bytes)?);
        }
        Ok(self.progress())
    }

    /// Forgets everything (to start on another message).
    pub fn reset(&mut self) {
        self.state = None;
        self.done = None;
    }
}

/// Whether every frame received is exactly the frame `bytes` encodes to for its symbol id
/// (padding zero, repair symbols as computed).
fn frames_match(bytes: &[u8], assembly: &Assembly) -> bool {
    let Ok(oti) = config(assembly.total_len, assembly.symbol_size) else {
        return false;
    };
    let encoder = Encoder::new(bytes, oti);
    let [block] = encoder.get_block_encoders().as_slice() else {
        return false;
    };
    let source = block.source_packets();
    // Repair symbol ids start after the padded source block, not right after the source.
    let first_repair = block
        .repair_packets(0, 1)
        .first()
        .map_or(u32::MAX, |p| p.payload_id().encoding_symbol_id());
    assembly.seen.iter().all(|(&esi, symbol)| {
        let expected = if let Some(packet) = source.get(esi as usize) {
            packet.data().to_vec()
        } else if esi >= first_repair {
            match block.repair_packets(esi - first_repair, 1).first() {
                Some(packet) => packet.data().to_vec(),
                None => return false,
            }
        } else {
            return false;
        };
        expected == *symbol
    })
}

/// Whether a QR text is a frame of an animated sequence (rather than a single message).
pub fn is_frame(text: &str) -> bool {
    text.starts_with(FRAME_PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::MessageKind;

    fn big_message(len: usize, seed: u8) -> Envelope {
        // Incompressible bytes, so the sequence is really long.
        let mut payload = Vec::with_capacity(len);
        let mut x: u32 = 0x1234_5678 ^ u32::from(seed);
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            payload.push((x >> 24) as u8);
        }
        Envelope {
            kind: MessageKind::Backup,
            payload,
        }
    }

    #[test]
    fn small_messages_stay_one_code() {
        let message = Envelope {
            kind: MessageKind::VerifierRequest,
            payload: vec![1, 2, 3],
        };
        let codes = encode_for_display(&message, &FrameOptions::default()).unwrap();
        assert_eq!(codes.len(), 1);
        assert!(codes[0].starts_with("LZ1:"));
    }

    /// An incompressible message whose single-code text is `chars` long, or the nearest
    /// length above (Base45 makes 3 characters of 2 bytes).
    fn message_of_text_len(chars: usize) -> (Envelope, usize) {
        let mut len = chars.saturating_sub(40) / 3 * 2;
        loop {
            let message = big_message(len, 9);
            let text = envelope::encode(&message).unwrap().len();
            if text >= chars {
                return (message, text);
            }
            len += 1;
        }
    }

    #[test]
    fn one_code_up_to_the_limit_then_frames() {
        let default = FrameOptions::default();
        assert_eq!(one_code_limit(&default), DEFAULT_ONE_CODE_MAX_CHARS);
        assert_eq!(
            DEFAULT_ONE_CODE_MAX_CHARS,
            crate::render::ErrorCorrection::M.max_alphanumeric()
        );
        assert!(shows_as_one_code(DEFAULT_ONE_CODE_MAX_CHARS, &default));
        assert!(!shows_as_one_code(DEFAULT_ONE_CODE_MAX_CHARS + 1, &default));
        // The engaged answers measured (1,248 and 1,390 characters without labels; 1,878 to
        // 1,959 with labels or the certificate) are one code each.
        for chars in [1_248, 1_390, 1_878, 1_959] {
            assert!(shows_as_one_code(chars, &default));
        }
        // Only max_frame_chars decides when one_code_max_chars is below it.
        let small = FrameOptions {
            max_frame_chars: 400,
            one_code_max_chars: 0,
            ..default
        };
        assert_eq!(one_code_limit(&small), 400);
        assert!(shows_as_one_code(400, &small) && !shows_as_one_code(401, &small));
        let whole = FrameOptions {
            max_frame_chars: 3_391,
            one_code_max_chars: 1_000,
            ..default
        };
        assert_eq!(one_code_limit(&whole), 3_391);

        // At the boundary, with real messages: one code at the limit, frames one above it.
        let limit = 1_500;
        let options = FrameOptions {
            one_code_max_chars: limit,
            ..default
        };
        let (at, at_len) = message_of_text_len(limit - 1);
        assert!(at_len <= limit, "{at_len}");
        let codes = encode_for_display(&at, &options).unwrap();
        assert_eq!(codes.len(), 1);
        assert!(codes[0].starts_with("LZ1:"));
        let (over, over_len) = message_of_text_len(limit + 1);
        assert!(over_len > limit);
        let frames = encode_for_display(&over, &options).unwrap();
        assert!(frames.len() > 1);
        assert!(
            frames
                .iter()
                .all(|f| is_frame(f) && f.len() <= DEFAULT_MAX_FRAME_CHARS)
        );
        // The largest default single code still renders at ECC M (version 40).
        let (largest, len) = message_of_text_len(DEFAULT_ONE_CODE_MAX_CHARS - 2);
        assert!(len <= DEFAULT_ONE_CODE_MAX_CHARS, "{len}");
        let codes = encode_for_display(&largest, &default).unwrap();
        assert_eq!(codes.len(), 1);
        let m = crate::render::render(&codes[0], crate::render::ErrorCorrection::M).unwrap();
        assert_eq!(m.version, 40);
    }

    #[test]
    fn any_order_duplicates_and_drops() {
        let message = big_message(20_000, 1);
        let frames = encode_for_display(&message, &FrameOptions::default()).unwrap();
        assert!(frames.len() > 30);
        assert!(
            frames.iter().all(|f| f.len() <= DEFAULT_MAX_FRAME_CHARS),
            "frame too long"
        );
        // Drop every fourth frame, reverse the order, show each twice.
        let mut assembler = FrameAssembler::new();
        let mut result = None;
        for (i, frame) in frames.iter().enumerate().rev() {
            if i % 4 == 1 {
                continue;
            }
            for _ in 0..2 {
                if let FrameProgress::Complete(m) = assembler.push(frame).unwrap() {
                    result = Some(m);
                }
            }
        }
        assert_eq!(result, Some(message));
    }

    /// `frame` with `change` applied to its symbol, re-encoded.
    fn with_symbol(frame: &str, change: impl FnOnce(&mut Vec<u8>)) -> String {
        let cbor = base45::decode(&frame[FRAME_PREFIX.len()..]).unwrap();
        let Value::Array(mut items) = ciborium::from_reader(cbor.as_slice()).unwrap() else {
            panic!("frame is not an array");
        };
        let Value::Bytes(symbol) = &mut items[4] else {
            panic!("no symbol");
        };
        change(symbol);
        let mut out = Vec::new();
        ciborium::into_writer(&Value::Array(items), &mut out).unwrap();
        format!("{FRAME_PREFIX}{}", base45::encode(&out))
    }

    /// Pushes frames until one is refused or the message is complete.
    fn assemble(frames: &[String]) -> QrResult<Option<Envelope>> {
        let mut assembler = FrameAssembler::new();
        for frame in frames {
            if let FrameProgress::Complete(m) = assembler.push(frame)? {
                return Ok(Some(m));
            }
        }
        Ok(None)
    }

    #[test]
    fn a_changed_padding_byte_is_refused() {
        let message = big_message(5_000, 3);
        let bytes = envelope::to_bytes(&message).unwrap();
        let frames = split(&bytes, &FrameOptions::default()).unwrap();
        let symbol_size = symbol_size_for(DEFAULT_MAX_FRAME_CHARS).unwrap() as usize;
        let source = bytes.len().div_ceil(symbol_size);
        let used = bytes.len() - (source - 1) * symbol_size;
        assert!(
            used < symbol_size,
            "the last source symbol must have padding"
        );
        // Frames come out source symbols first: the last source symbol is frame source - 1.
        let mut changed = frames.clone();
        changed[source - 1] = with_symbol(&frames[source - 1], |s| s[used] ^= 0x20);
        assert_eq!(assemble(&frames).unwrap(), Some(message));
        assert_eq!(
            assemble(&changed).unwrap_err(),
            QrError::InconsistentFrame("a frame differs from the rebuilt message's")
        );
    }

    #[test]
    fn a_changed_unneeded_repair_frame_is_refused() {
        let message = big_message(5_000, 4);
        let frames = encode_for_display(&message, &FrameOptions::default()).unwrap();
        let symbol_size = symbol_size_for(DEFAULT_MAX_FRAME_CHARS).unwrap() as usize;
        let source = envelope::to_bytes(&message)
            .unwrap()
            .len()
            .div_ceil(symbol_size);
        // A changed repair frame first, then every source frame: the source frames alone
        // rebuild the message, and the changed frame must still be noticed.
        let mut order = vec![with_symbol(&frames[source], |s| s[0] ^= 1)];
        order.extend(frames[..source].iter().cloned());
        assert!(assemble(&order).is_err());
        // The same frame twice with different contents is refused at once.
        let twice = [frames[0].clone(), with_symbol(&frames[0], |s| s[1] ^= 1)];
        assert_eq!(
            assemble(&twice).unwrap_err(),
            QrError::InconsistentFrame("two frames with the same symbol id differ")
        );
    }

    #[test]
    fn frames_of_two_messages_are_not_mixed() {
        let a = split(
            &envelope::to_bytes(&big_message(3_000, 1)).unwrap(),
            &FrameOptions::default(),
        )
        .unwrap();
        let b = split(
            &envelope::to_bytes(&big_message(3_000, 2)).unwrap(),
            &FrameOptions::default(),
        )
        .unwrap();
        let mut assembler = FrameAssembler::new();
        assembler.push(&a[0]).unwrap();
        assert_eq!(assembler.push(&b[0]).unwrap_err(), QrError::MixedMessages);
        assert!(matches!(
            assembler.push(&a[1]).unwrap(),
            FrameProgress::Incomplete { useful: 2, .. }
        ));
    }

    #[test]
    fn hostile_frames_are_refused() {
        let mut cbor = Vec::new();
        let frame = |total: u64, size: u64, esi: u64, symbol: Vec<u8>| {
            Value::Array(vec![
                Value::Bytes(vec![0; 8]),
                Value::Integer(total.into()),
                Value::Integer(size.into()),
                Value::Integer(esi.into()),
                Value::Bytes(symbol),
            ])
        };
        for (value, expected) in [
            (
                frame(10_000_000, 512, 0, vec![0; 512]),
                QrError::TooLarge("animated message"),
            ),
            (
                frame(1_000, 0, 0, vec![]),
                QrError::Malformed("symbol size"),
            ),
            (
                frame(1_000, 100, 0, vec![0; 100]),
                QrError::Malformed("symbol size"),
            ),
            (
                frame(1_000, 512, 0, vec![0; 10]),
                QrError::Malformed("symbol length"),
            ),
            (
                frame(MAX_PAYLOAD_LEN as u64, 16, 0, vec![0; 16]),
                QrError::TooLarge("frames needed"),
            ),
        ] {
            cbor.clear();
            ciborium::into_writer(&value, &mut cbor).unwrap();
            let text = format!("{FRAME_PREFIX}{}", base45::encode(&cbor));
            assert_eq!(FrameAssembler::new().push(&text).unwrap_err(), expected);
        }
        assert_eq!(
            FrameAssembler::new().push("LZF1:%%%").unwrap_err(),
            QrError::BadBase45
        );
        assert_eq!(
            FrameAssembler::new().push("hello").unwrap_err(),
            QrError::NotLaissez
        );
    }
}
