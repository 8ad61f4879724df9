package egress

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// awsSuffixes are the DNS suffixes of AWS service endpoints in every partition: the commercial
// and GovCloud ones (amazonaws.com), China (amazonaws.com.cn) and the newer dual-stack names
// (api.aws, and anything else under .aws).
var awsSuffixes = []string{".amazonaws.com", ".amazonaws.com.cn", ".aws"}

// ec2MetadataIPv6 is the IPv6 address of the EC2 instance metadata service. Unlike its IPv4
// twin it is not link-local, so it is named here.
var ec2MetadataIPv6 = netip.MustParseAddr("fd00:ec2::254")

// errMetadata marks a dial refused because its address is link-local or a metadata service.
var errMetadata = errors.New("link-local and instance metadata addresses are never dialled")

// normalHost lowercases a host name and drops the brackets of an IPv6 literal and a trailing
// dot, so that "ABC.execute-api.localhost." and "abc.execute-api.localhost" are one host.
func normalHost(host string) string {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	host = strings.TrimSuffix(host, ".")
	return strings.ToLower(host)
}

// isAWSHost says whether a (normalised) host is an AWS endpoint or a metadata address: the
// hosts the runner refuses so that nothing reaches a real account.
func isAWSHost(host string) bool {
	if addr, err := netip.ParseAddr(host); err == nil {
		return isMetadataAddr(addr)
	}
	for _, s := range awsSuffixes {
		// The bare domains too (amazonaws.com), but not a single-label name "aws": that is a
		// machine on a local network, not an endpoint.
		if strings.HasSuffix(host, s) || host == s[1:] && strings.Contains(host, ".") {
			return true
		}
	}
	return false
}

// isMetadataAddr says whether an address must never be dialled: link-local ones (where cloud
// metadata and credential services live: 169.254.169.254, ECS's 169.254.170.2) and EC2's IPv6
// metadata address.
func isMetadataAddr(addr netip.Addr) bool {
	addr = addr.Unmap()
	return addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() || addr == ec2MetadataIPv6
}

// refuseMetadata is a net.Dialer Control hook: it sees the address after name resolution, so a
// name that resolves to a metadata address is refused too, not only a literal one.
func refuseMetadata(_ context.Context, network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dialling %s %s: not an IP address and port", network, address)
	}
	if isMetadataAddr(ap.Addr()) {
		return fmt.Errorf("dialling %s: %w", address, errMetadata)
	}
	return nil
}

// dialTimeout bounds connecting to a host the proxy tunnels or forwards to.
const dialTimeout = 10 * time.Second

func defaultDial() func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second, ControlContext: refuseMetadata}
	return d.DialContext
}

// guardDial wraps a dial function so that, whatever it is (the default or a test's), a literal
// metadata address is refused before dialling and a connection that ends up at one is closed.
func guardDial(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("dialling %s: %w", addr, err)
		}
		if a, err := netip.ParseAddr(normalHost(host)); err == nil && isMetadataAddr(a) {
			return nil, fmt.Errorf("dialling %s: %w", addr, errMetadata)
		}
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if ap, err := netip.ParseAddrPort(conn.RemoteAddr().String()); err == nil && isMetadataAddr(ap.Addr()) {
			conn.Close()
			return nil, fmt.Errorf("dialling %s: %w", addr, errMetadata)
		}
		return conn, nil
	}
}
