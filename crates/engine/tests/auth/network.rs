//! The HTTP client trusts the system's roots plus an extra CA file (a company's TLS inspection), and sends
//! everything through a configured proxy.

use std::sync::Arc;

use launcher_engine::providers::http::client;
use launcher_engine::settings::NetworkSettings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A one-certificate-authority world: a CA, and a server certificate for 127.0.0.1 that it signed.
fn pki() -> (String, rustls::ServerConfig) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "Test Corp Inspection CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let server_key = rcgen::KeyPair::generate().unwrap();
    let server_params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let server = server_params.signed_by(&server_key, &issuer).unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![server.der().clone()],
            rustls::pki_types::PrivateKeyDer::try_from(server_key.serialize_der()).unwrap(),
        )
        .unwrap();
    (ca.pem(), config)
}

/// An HTTPS server that answers every connection with "ok".
async fn https_server(config: rustls::ServerConfig) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let _ = tls.read(&mut buf).await;
                let _ = tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

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
