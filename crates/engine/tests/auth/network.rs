//! The HTTP client trusts the system's roots plus an extra CA file (a company's TLS inspection), and sends
//! everything through a configured proxy.

use launcher_engine::providers::http::client;
use launcher_engine::settings::NetworkSettings;
use launcher_test_support::tls::{https_server, pki};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test(flavor = "multi_thread")]
async fn an_extra_ca_file_is_trusted_beside_the_system_roots() {
    let (ca_pem, config) = pki();
    let port = https_server(config).await;
    let url = format!("https://127.0.0.1:{port}/");

    let plain = client(&NetworkSettings::default()).unwrap();
    assert!(plain.get(&url).send().await.is_err(), "an unknown CA is not trusted");

    let dir = std::env::temp_dir().join(format!("ml-ca-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_file = dir.join("corp-ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let with_ca = client(&NetworkSettings { ca_file: Some(ca_file), ..NetworkSettings::default() }).unwrap();
    let response = with_ca.get(&url).send().await.unwrap();
    assert_eq!(response.text().await.unwrap(), "ok");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_configured_proxy_carries_the_requests() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let _ = tx.send(String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or_default().to_string());
                let _ = socket
                    .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    let http = client(&NetworkSettings { proxy: Some(proxy), ..NetworkSettings::default() }).unwrap();
    let response = http.get("http://meetings.example.invalid/oauth").send().await.unwrap();
    assert_eq!(response.status(), 502);
    let request_line = rx.recv().await.unwrap();
    assert_eq!(
        request_line, "GET http://meetings.example.invalid/oauth HTTP/1.1",
        "sent to the proxy in absolute form"
    );
}
