package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local"
)

// domainURLs is one mapping's line under a stage: its domain URL, and the TLS one with --tls.
func domainURLs(m local.MappingInfo) string {
	line := "domain " + m.URL
	if m.TLSURL != "" {
		line += "  " + m.TLSURL
	}
	if m.CallbackURL != "" {
		line += "  (@connections " + m.CallbackURL + ")"
	}
	return line
}

// printDomains lists each custom domain with its mappings, and the ways to reach it without
// DNS: its *.localhost name, and curl's --connect-to (with --cacert when caFile is set).
func printDomains(w io.Writer, domains []local.DomainInfo, caFile string) {
	for _, d := range domains {
		attrs := []string{"stack " + d.Stack, d.LogicalID, d.MinTLSVersion + " minimum"}
		if d.MutualTLS {
			attrs = append(attrs, "mutual TLS")
		}
		fmt.Fprintf(w, "\ncustom domain %s (%s)\n", d.Name, strings.Join(attrs, ", "))
		if strings.HasPrefix(d.Name, "*.") {
			fmt.Fprintf(w, "  answers any one label in place of *, e.g. %s\n", d.Example)
		}
		if len(d.Mappings) == 0 {
			fmt.Fprintln(w, "  no API mappings: every request gets 403")
			continue
		}
		for _, m := range d.Mappings {
			key := m.Key
			if key == "" {
				key = "(none)"
			}
			api := m.APIID
			if m.APIName != "" {
				api = fmt.Sprintf("%s API %q", m.Protocol, m.APIName)
			}
			stage := "stage " + m.Stage
			if m.StageInPath {
				stage = "stage named in the path: " + m.Stage
			}
			fmt.Fprintf(w, "  %-14s -> %s %s\n", key, api, stage)
			fmt.Fprintf(w, "  %-14s    %s\n", "", m.URL)
			fmt.Fprintf(w, "  %-14s    %s\n", "", m.LocalhostURL)
			if m.TLSURL != "" {
				fmt.Fprintf(w, "  %-14s    %s\n", "", m.TLSURL)
			}
			if m.CallbackURL != "" {
				fmt.Fprintf(w, "  %-14s    @connections %s/@connections/{connectionId}\n", "", m.CallbackURL)
			}
		}
		// Example's standard URL, sent to the runner without DNS.
		path := ""
		if k := d.Mappings[0].Key; k != "" {
			path = "/" + k
		}
		for _, ct := range d.ConnectTo {
			scheme, cacert := "http://", ""
			if strings.Contains(ct, ":443:") {
				scheme = "https://"
				if caFile != "" {
					cacert = " --cacert " + caFile
				}
			}
			fmt.Fprintf(w, "  curl %s%s %s%s%s\n", ct, cacert, scheme, d.Example, path)
		}
	}
}

// printTLS says where HTTPS is served and how to trust the local CA. tlsURL is empty for
// `gatehouse routes`, which serves nothing; clientCert and clientKey are set when a mutual
// TLS domain needs them.
func printTLS(w io.Writer, tlsURL, caFile string, domains []local.DomainInfo, clientCert, clientKey string) {
	fmt.Fprintln(w)
	if tlsURL != "" {
		fmt.Fprintf(w, "TLS: %s (HTTPS and WSS) with certificates for every custom domain, localhost and 127.0.0.1\n", tlsURL)
	} else {
		fmt.Fprintln(w, "TLS (gatehouse start --tls): certificates for every custom domain, localhost and 127.0.0.1")
	}
	fmt.Fprintf(w, "  issued by the local CA %s (made once, then kept); trust it with:\n", caFile)
	for _, line := range local.TrustInstructions(caFile) {
		fmt.Fprintf(w, "    %s\n", line)
	}
	var mutual []string
	for _, d := range domains {
		if d.MutualTLS {
			mutual = append(mutual, d.Name)
		}
	}
	if len(mutual) > 0 {
		fmt.Fprintf(w, "  mutual TLS: %s require a client certificate of the local CA over TLS (403 without it; plain HTTP is let through)\n", strings.Join(mutual, ", "))
		if clientCert != "" {
			fmt.Fprintf(w, "    curl --cert %s --key %s --cacert %s https://...\n", clientCert, clientKey, caFile)
		}
	}
}

func hasMutualTLS(domains []local.DomainInfo) bool {
	for _, d := range domains {
		if d.MutualTLS {
			return true
		}
	}
	return false
}
