//! The address a request comes from: the connection's peer or, when that peer is a
//! proxy the site was told to trust (`TIANGUIS_TRUSTED_PROXIES`), the client the
//! proxy says it forwards for in `X-Forwarded-For`.

use super::router::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use http::HeaderMap;
use http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// Who sent a request, as far as the site can tell (for counting failed sign-ins).
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        // Served without connection info (never, in `serve`), the peer is unknown:
        // every such request counts as one address, the safe side for throttling.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(peer)| peer.ip());
        Ok(ClientAddress(client_address(
            peer,
            &parts.headers,
            &state.trusted_proxies,
        )))
    }
}

/// The client behind `peer`. An untrusted peer is the client, whatever it claims.
/// A trusted proxy appends the address it got the request from to `X-Forwarded-For`,
/// so the list is read from its end: the first address that is not a trusted proxy is
/// the client (anything before it could have been written by the client itself). A
/// list that is missing, unreadable or all proxies leaves the last proxy as the client.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|value| value.to_str().unwrap_or("").split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(address) if trusted.contains(&address) => client = address,
            Ok(address) => return address,
            Err(_) => return client,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use http::HeaderMap;
    use std::net::IpAddr;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded_for(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let headers = forwarded_for(&["203.0.113.9"]);
        assert_eq!(
            client_address(ip("198.51.100.1"), &headers, &[]),
            ip("198.51.100.1")
        );
        let trusted = [ip("10.0.0.2")];
        assert_eq!(
            client_address(ip("198.51.100.1"), &headers, &trusted),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_client_is_the_last_untrusted_hop() {
        let trusted = [ip("10.0.0.2"), ip("10.0.0.3")];
        // The client wrote a fake first hop; the proxies appended the real ones.
        let headers = forwarded_for(&["1.2.3.4, 203.0.113.9", "10.0.0.3"]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &headers, &trusted),
            ip("203.0.113.9")
        );
        let v6 = forwarded_for(&["2001:db8::7"]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &v6, &trusted),
            ip("2001:db8::7")
        );
    }

    #[test]
    fn a_missing_or_unreadable_list_leaves_the_proxy_as_the_client() {
        let trusted = [ip("10.0.0.2"), ip("10.0.0.3")];
        assert_eq!(
            client_address(ip("10.0.0.2"), &HeaderMap::new(), &trusted),
            ip("10.0.0.2")
        );
        let junk = forwarded_for(&["203.0.113.9, not-an-address, 10.0.0.3"]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &junk, &trusted),
            ip("10.0.0.3")
        );
    }
}
