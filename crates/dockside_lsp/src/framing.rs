//! A guard in front of tower-lsp's reader: its decoder ends the whole input
//! stream at the first malformed frame (bad header, invalid JSON, a body
//! that is no JSON-RPC message), which would stop the server. This pump
//! re-frames the client's input and forwards only messages tower-lsp can
//! decode; the rest are dropped with a note on stderr.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Bodies larger than this are skipped rather than buffered.
const MAX_BODY: usize = 512 * 1024 * 1024;

/// Whether tower-lsp will decode `body` (a response or a request/notification).
pub fn is_valid_message(body: &[u8]) -> bool {
    serde_json::from_slice::<Response>(body).is_ok()
        || serde_json::from_slice::<Request>(body).is_ok()
}

/// The `Content-Length` of a header block, if it has a valid one.
pub fn content_length(headers: &[String]) -> Option<usize> {
    headers.iter().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())
            .flatten()
    })
}

/// Copies well-formed messages from `input` to `output` until `input` ends
/// (or `output` is closed).
pub async fn pump<R, W>(input: R, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = BufReader::new(input);
    let mut line = Vec::new();
    loop {
        // Header lines up to an empty line.
        let mut headers = Vec::new();
        loop {
            line.clear();
            match input.read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                if headers.is_empty() {
                    continue; // Stray blank line between messages.
                }
                break;
            }
            headers.push(text.to_string());
        }
        let Some(len) = content_length(&headers) else {
            eprintln!("dockside lsp: dropped a message without a valid Content-Length header");
            continue;
        };
        if len > MAX_BODY {
            eprintln!("dockside lsp: dropped a message of {len} bytes");
            let mut skip = (&mut input).take(len as u64);
            if tokio::io::copy(&mut skip, &mut tokio::io::sink())
                .await
                .is_err()
            {
                return;
            }
            continue;
        }
        let mut body = vec![0; len];
        if input.read_exact(&mut body).await.is_err() {
            return;
        }
        if !is_valid_message(&body) {
            eprintln!(
                "dockside lsp: dropped a malformed message: {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            );
            continue;
        }
        let header = format!("Content-Length: {len}\r\n\r\n");
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
            || output.flush().await.is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity() {
        assert!(is_valid_message(
            br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#
        ));
        assert!(is_valid_message(
            br#"{"jsonrpc":"2.0","method":"initialized"}"#
        ));
        assert!(is_valid_message(
            br#"{"jsonrpc":"2.0","id":"a","result":null}"#
        ));
        assert!(is_valid_message(
            br#"{"jsonrpc":"2.0","id":0,"error":{"code":-32601,"message":"no"}}"#
        ));
        assert!(!is_valid_message(b"{not json}"));
        assert!(!is_valid_message(br#"{"hello":"world"}"#));
        assert!(!is_valid_message(br#"[1,2]"#));
        assert!(!is_valid_message(b"\xff\xfe"));
    }

    #[test]
    fn headers() {
        assert_eq!(content_length(&["Content-Length: 12".into()]), Some(12));
        assert_eq!(
            content_length(&["content-type: x".into(), "content-length:3".into()]),
            Some(3)
        );
        assert_eq!(content_length(&["Content-Length: x".into()]), None);
        assert_eq!(content_length(&["garbage".into()]), None);
    }

    #[tokio::test]
    async fn malformed_frames_are_dropped_and_the_rest_pass() {
        let good = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = Vec::new();
        input.extend_from_slice(b"Content-Length: 10\r\n\r\n{not json}");
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", good.len()).as_bytes());
        input.extend_from_slice(good);
        input.extend_from_slice(b"X-Nonsense\r\n\r\n");
        input.extend_from_slice(b"Content-Length: 17\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n");
        input.extend_from_slice(br#"{"hello":"world"}"#);
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", good.len()).as_bytes());
        input.extend_from_slice(good);
        let mut output = Vec::new();
        pump(&input[..], &mut output).await;
        let frame = format!(
            "Content-Length: {}\r\n\r\n{}",
            good.len(),
            std::str::from_utf8(good).unwrap()
        );
        assert_eq!(String::from_utf8(output).unwrap(), frame.repeat(2));
    }
}
