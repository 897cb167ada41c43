//! A small SMTP server for tests, on a loopback port: it answers `rcpt_reply` to
//! each RCPT TO, accepts everything else, and keeps each line it was told, and a line
//! `DELIVERED <to>` for each email it accepted whole (its data ended by `.`).

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the SMTP server was told: each line of each conversation.
pub type Transcript = Arc<Mutex<Vec<String>>>;

/// An SMTP server that answers `rcpt_reply` to RCPT TO and accepts everything else.
pub async fn smtp_server(rcpt_reply: &'static str) -> (String, Transcript) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let transcript: Transcript = Arc::default();
    let seen = transcript.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut in_data = false;
                let mut to = Vec::new();
                let mut message_id = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    seen.lock().unwrap().push(line.clone());
                    if let Some(rcpt) = line.strip_prefix("RCPT TO:<") {
                        to.push(rcpt.trim_end_matches('>').to_owned());
                    }
                    let reply: &str = if in_data {
                        if line == "." {
                            in_data = false;
                            let mut seen = seen.lock().unwrap();
                            for rcpt in to.drain(..) {
                                seen.push(format!("{DELIVERED}{rcpt} {message_id}"));
                            }
                            "250 queued\r\n"
                        } else {
                            let header = line.to_ascii_lowercase();
                            if header.starts_with("message-id:") {
                                message_id = line["message-id:".len()..].trim().to_owned();
                            }
                            continue;
                        }
                    } else {
                        let verb = line.to_ascii_uppercase();
                        if verb.starts_with("EHLO") || verb.starts_with("HELO") {
                            "250 test\r\n"
                        } else if verb.starts_with("RCPT") {
                            rcpt_reply
                        } else if verb.starts_with("DATA") {
                            in_data = true;
                            "354 go on\r\n"
                        } else if verb.starts_with("QUIT") {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            "250 ok\r\n"
                        }
                    };
                    if write.write_all(reply.as_bytes()).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (url, transcript)
}

const DELIVERED: &str = "DELIVERED ";

/// The recipient of each email accepted whole, in order (not one whose sender was
/// cut off mid-conversation).
pub fn delivered(transcript: &Transcript) -> Vec<String> {
    delivered_messages(transcript)
        .into_iter()
        .map(|(to, _)| to)
        .collect()
}

/// [`delivered`], each with the email's Message-ID.
pub fn delivered_messages(transcript: &Transcript) -> Vec<(String, String)> {
    transcript
        .lock()
        .unwrap()
        .iter()
        .filter_map(|l| l.strip_prefix(DELIVERED))
        .map(|l| {
            let (to, id) = l.split_once(' ').unwrap_or((l, ""));
            (to.to_owned(), id.to_owned())
        })
        .collect()
}
