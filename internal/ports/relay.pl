# devenv's port relay, run inside an environment by Debian's Essential
# perl-base (no module beyond Socket and POSIX). Why it exists: relay.go.
#
#   relay stdio PORT                  stdin/stdout <-> localhost:PORT
#   relay listen RELAY:PORT...        0.0.0.0:RELAY -> localhost:PORT, as a daemon
#   relay listen RELAY:HOST:PORT...   0.0.0.0:RELAY -> HOST:PORT (IPv4), as a daemon
#
# "localhost" is 127.0.0.1, then [::1]: dev servers bind either one.
use strict;
use warnings;
use Socket qw(AF_INET AF_INET6 SOCK_STREAM SOL_SOCKET SO_REUSEADDR INADDR_ANY SHUT_WR
              pack_sockaddr_in pack_sockaddr_in6 inet_aton inet_pton);
use POSIX qw(setsid);

$SIG{PIPE} = 'IGNORE';    # a peer that hung up is an error return, not death

sub dial {
    my ($port, $host) = @_;
    if (defined $host) {
        my $ip = inet_aton($host) or return;
        socket(my $s, AF_INET, SOCK_STREAM, 0) or return;
        return connect($s, pack_sockaddr_in($port, $ip)) ? $s : undef;
    }
    for my $to ([AF_INET, pack_sockaddr_in($port, inet_aton('127.0.0.1'))],
                [AF_INET6, pack_sockaddr_in6($port, inet_pton(AF_INET6, '::1'))]) {
        socket(my $s, $to->[0], SOCK_STREAM, 0) or next;
        return $s if connect($s, $to->[1]);
    }
    return;
}

sub pump {
    my ($from, $to) = @_;
    my $buf;
    while (1) {
        my $n = sysread($from, $buf, 65536);
        return if !$n;
        for (my $off = 0; $off < $n;) {
            my $w = syswrite($to, $buf, $n - $off, $off);
            return if !defined $w;
            $off += $w;
        }
    }
}

# bridge copies in -> server in a child and server -> out here. The server's
# end of stream ends the connection; the client's end is passed on as a
# half-close, so request-then-EOF protocols work.
sub bridge {
    my ($in, $out, $server, $stdio) = @_;
    defined(my $pid = fork) or die "fork: $!\n";
    if ($pid == 0) {
        if ($stdio) { close STDOUT; close STDERR }    # the exec ends with the parent
        pump($in, $server);
        shutdown($server, SHUT_WR);
        exit 0;
    }
    pump($server, $out);
    shutdown($out, SHUT_WR) unless $stdio;
    close $out;
    kill 'TERM', $pid;
    waitpid($pid, 0);
}

my $mode = shift @ARGV // '';
if ($mode eq 'stdio') {
    my $port = shift @ARGV;
    my $server = dial($port) or do {
        print STDERR "nothing listens on port $port (tried 127.0.0.1 and [::1])\n";
        exit 3;
    };
    binmode STDIN; binmode STDOUT;
    bridge(\*STDIN, \*STDOUT, $server, 1);
    exit 0;
}
if ($mode eq 'listen') {
    my @listeners;
    for my $pair (@ARGV) {
        my ($relay, @to) = split /:/, $pair;
        my $port = pop @to;
        socket(my $l, AF_INET, SOCK_STREAM, 0) or die "socket: $!\n";
        setsockopt($l, SOL_SOCKET, SO_REUSEADDR, 1);
        bind($l, pack_sockaddr_in($relay, INADDR_ANY)) or die "relay port $relay: $!\n";
        listen($l, 128) or die "listen on $relay: $!\n";
        push @listeners, [$l, $port, @to];
    }
    # Bound: the caller may go on. The daemon is a process of the
    # environment, so it ends with the environment.
    defined(my $pid = fork) or die "fork: $!\n";
    exit 0 if $pid;
    setsid();
    open STDIN, '<', '/dev/null';
    open STDOUT, '>', '/dev/null';
    open STDERR, '>', '/dev/null';
    $SIG{CHLD} = 'IGNORE';
    while (1) {
        my $want = '';
        vec($want, fileno($_->[0]), 1) = 1 for @listeners;
        next if select(my $ready = $want, undef, undef, undef) <= 0;
        for my $l (@listeners) {
            next unless vec($ready, fileno($l->[0]), 1);
            accept(my $client, $l->[0]) or next;
            defined(my $child = fork) or next;
            if ($child == 0) {
                close $_->[0] for @listeners;
                my $server = dial($l->[1], $l->[2]) or exit 0;
                bridge($client, $client, $server, 0);
                exit 0;
            }
            close $client;
        }
    }
}
die "usage: relay stdio PORT | relay listen RELAY:PORT...\n";
