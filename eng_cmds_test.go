package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdTLSFront puts the engine behind TLS that demands a client certificate,
// as a dockerd with --tlsverify does: it writes a CA, the client's cert.pem
// and key.pem and the CA as ca.pem into DIR, listens on 127.0.0.1 and puts
// the port in VAR. Connections are relayed to the engine's Unix socket.
//
//	tlsfront DIR VAR
func (d *docker) cmdTLSFront(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: tlsfront DIR VAR")
	}
	sock := ts.Getenv("ENGINE_SOCKET")
	if sock == "" {
		ts.Fatalf("tlsfront: the engine is not on a Unix socket")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o700))
	ca, caKey := newCert(ts, "devenv test CA", nil, nil, true)
	server, serverKey := newCert(ts, "127.0.0.1", ca, caKey, false)
	client, clientKey := newCert(ts, "devenv test client", ca, caKey, false)
	writePEM(ts, filepath.Join(dir, "ca.pem"), "CERTIFICATE", ca.Raw)
	writePEM(ts, filepath.Join(dir, "cert.pem"), "CERTIFICATE", client.Raw)
	keyDER, err := x509.MarshalECPrivateKey(clientKey)
	ts.Check(err)
	writePEM(ts, filepath.Join(dir, "key.pem"), "EC PRIVATE KEY", keyDER)

	pool := x509.NewCertPool()
	pool.AddCert(ca)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{server.Raw}, PrivateKey: serverKey}},
		ClientCAs:    pool,
		ClientAuth:   tls.RequireAndVerifyClientCert,
	})
	ts.Check(err)
	ts.Defer(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go relay(c, sock)
		}
	}()
	ts.Setenv(args[1], strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
}

func relay(c net.Conn, sock string) {
	defer c.Close()
	u, err := net.Dial("unix", sock)
	if err != nil {
		return
	}
	defer u.Close()
	go func() { io.Copy(u, c); u.(*net.UnixConn).CloseWrite() }()
	io.Copy(c, u)
}

// newCert makes a certificate for name, signed by parent (self-signed when nil).
func newCert(ts *testscript.TestScript, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, isCA bool) (*x509.Certificate, *ecdsa.PrivateKey) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ts.Check(err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if isCA {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	if ip := net.ParseIP(name); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	ts.Check(err)
	cert, err := x509.ParseCertificate(der)
	ts.Check(err)
	return cert, key
}

func writePEM(ts *testscript.TestScript, path, kind string, der []byte) {
	ts.Check(os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600))
}
