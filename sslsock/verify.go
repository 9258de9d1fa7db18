package sslsock

import (
	"crypto/x509"
	"errors"
	"time"
)

// verifyChain checks a peer's chain the way Qt's backends report it: every
// problem found, each with its certificate, in the order OpenSSL's
// verification walks them (chain trust and validity first), and a host
// name mismatch last. Host names are matched as x509.VerifyHostname does
// (RFC 6125): wildcards only as the whole left-most label, never for IP
// addresses, which must appear as IP SANs; Qt's own matcher also accepts
// an IP address written in the common name, which Go does not.
func verifyChain(chain []*x509.Certificate, roots []*x509.Certificate, hostName string, server bool, depth int, now time.Time) []Error {
	if len(chain) == 0 {
		return []Error{{Code: NoPeerCertificate}}
	}
	leaf := chain[0]
	var errs []Error
	// Validity is checked on its own, so that an expired certificate from
	// an unknown issuer reports both problems, as OpenSSL does.
	switch {
	case now.Before(leaf.NotBefore):
		errs = append(errs, Error{Code: CertificateNotYetValid, Certificate: leaf})
	case now.After(leaf.NotAfter):
		errs = append(errs, Error{Code: CertificateExpired, Certificate: leaf})
	}
	opts := x509.VerifyOptions{
		Intermediates: x509.NewCertPool(),
		CurrentTime:   clampTime(now, leaf),
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if server {
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	if roots != nil {
		opts.Roots = x509.NewCertPool()
		for _, r := range roots {
			opts.Roots.AddCert(r)
		}
	}
	for _, c := range chain[1:] {
		opts.Intermediates.AddCert(c)
	}
	chains, err := leaf.Verify(opts)
	if err != nil {
		errs = append(errs, chainError(err, chain)...)
	} else if depth > 0 && shortest(chains) > depth+1 {
		errs = append(errs, Error{Code: PathLengthExceeded, Certificate: leaf})
	}
	if !server && hostName != "" {
		if leaf.VerifyHostname(hostName) != nil {
			errs = append(errs, Error{Code: HostNameMismatch, Certificate: leaf})
		}
	}
	return errs
}

// clampTime keeps the chain check inside the leaf's validity, so expiry is
// reported once, by the validity check, and not again as a chain failure.
func clampTime(now time.Time, leaf *x509.Certificate) time.Time {
	if now.Before(leaf.NotBefore) {
		return leaf.NotBefore
	}
	if now.After(leaf.NotAfter) {
		return leaf.NotAfter
	}
	return now
}

func shortest(chains [][]*x509.Certificate) int {
	n := 0
	for _, c := range chains {
		if n == 0 || len(c) < n {
			n = len(c)
		}
	}
	return n
}

// chainError translates crypto/x509's verdict into Qt's codes.
func chainError(err error, chain []*x509.Certificate) []Error {
	leaf := chain[0]
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	var sr x509.SystemRootsError
	switch {
	case errors.As(err, &ua):
		if selfSigned(leaf) {
			return []Error{{Code: SelfSignedCertificate, Certificate: leaf}}
		}
		if last := chain[len(chain)-1]; len(chain) > 1 && selfSigned(last) {
			return []Error{{Code: SelfSignedCertificateInChain, Certificate: last}}
		}
		return []Error{
			{Code: UnableToGetLocalIssuerCertificate, Certificate: leaf},
			{Code: UnableToVerifyFirstCertificate, Certificate: leaf},
		}
	case errors.As(err, &ci):
		c := ci.Cert
		if c == nil {
			c = leaf
		}
		switch ci.Reason {
		case x509.Expired:
			if time.Now().Before(c.NotBefore) {
				return []Error{{Code: CertificateNotYetValid, Certificate: c}}
			}
			return []Error{{Code: CertificateExpired, Certificate: c}}
		case x509.NotAuthorizedToSign:
			return []Error{{Code: InvalidCaCertificate, Certificate: c}}
		case x509.IncompatibleUsage:
			return []Error{{Code: InvalidPurpose, Certificate: c}}
		case x509.TooManyIntermediates:
			return []Error{{Code: PathLengthExceeded, Certificate: c}}
		case x509.CANotAuthorizedForThisName, x509.CANotAuthorizedForExtKeyUsage:
			return []Error{{Code: CertificateRejected, Certificate: c}}
		}
		return []Error{{Code: CertificateUntrusted, Certificate: c}}
	case errors.As(err, &sr):
		return []Error{{Code: UnableToGetLocalIssuerCertificate, Certificate: leaf}}
	}
	return []Error{{Code: CertificateSignatureFailed, Certificate: leaf}}
}

func selfSigned(c *x509.Certificate) bool {
	// Not CheckSignatureFrom: it refuses a parent that is not a CA, and a
	// self-signed server certificate usually is not one.
	return c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}
