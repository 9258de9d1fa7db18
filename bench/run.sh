#!/usr/bin/env bash
# bench/run.sh: builds every echo server and the load generator, runs each
# server in turn on loopback through every scenario, and writes the tables
# (results.md) and the chart (results.png).
#
#   bench/run.sh            full run, about 15 minutes: 3 rounds, 3 s windows;
#                           writes bench/results.{md,png,jsonl} and
#                           bench/profile-qsock-100x64.txt, and refreshes the
#                           generated part of bench/README.md
#   bench/run.sh -quick     smoke run (< 1 min): 1 round, short windows, 1,000
#                           idle connections; writes bench/out/quick/ only
#
# The 1-connection latency row (echo-1x64) gets -latency-rounds rounds in
# all (default 6), the extra ones after the others: its tail depends on
# where the scheduler puts the server's and the load generator's threads,
# which is decided afresh with each server process, so two rounds are not
# enough for its p99 to say more than which way those placements fell.
#
# After the plain scenarios, each round runs the TLS scenarios (full
# handshakes, TLS echo, idle TLS connections) against the TLS servers: the
# qsock SSLServer on one loop (qsocktls) and on a LoopGroup of 2
# (qsocktls-2), and Go net + crypto/tls (gonettls). -tls-servers "" or
# -tls-scenarios "" leaves them out; -servers "" -scenarios "" runs TLS
# only.
#
# Build products go to bench/bin/, logs and the raw profile to bench/out/
# (both ignored by git).
#
# Options: -rounds N, -latency-rounds N, -window SECONDS, -warmup SECONDS, -servers "a b ...",
# -scenarios "a b ...", -tls-servers "a b ...", -tls-scenarios "a b ...",
# -out DIR, -noprofile.
#
# Servers: qsock (2 loops), qsock-1 (1 loop), gonet, gnet, cepoll, qt (only
# when Qt 5's development files are installed: apt-get install qtbase5-dev).
# Each server is started for one scenario and ended afterwards by the PID
# this script started; nothing else is signalled. The order of the servers
# is reversed every other round, so that drift in the machine's speed does
# not favour one of them.
set -euo pipefail
cd "$(dirname "$0")"
BENCH=$(pwd)
export PATH="$PATH:/usr/local/go/bin"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

QUICK=0
ROUNDS=3
LATENCY_ROUNDS=6
WINDOW=3
WARMUP=0.5
IDLE=10000
OUT=
PROFILE=1
SERVERS="qsock qsock-1 gonet gnet cepoll qt"
SCENARIOS="echo-1x64 echo-100x64 echo-1000x64 echo-100x4k pipe-100x64x16 bulk-64k connect idle"
TLS_SERVERS="qsocktls qsocktls-2 gonettls"
TLS_SCENARIOS="tls-connect tls-echo-100x64 tls-idle"
while [ $# -gt 0 ]; do
	case "$1" in
	-quick) QUICK=1 ;;
	-rounds) ROUNDS=$2; shift ;;
	-latency-rounds) LATENCY_ROUNDS=$2; shift ;;
	-window) WINDOW=$2; shift ;;
	-warmup) WARMUP=$2; shift ;;
	-servers) SERVERS=$2; shift ;;
	-scenarios) SCENARIOS=$2; shift ;;
	-tls-servers) TLS_SERVERS=$2; shift ;;
	-tls-scenarios) TLS_SCENARIOS=$2; shift ;;
	-out) OUT=$2; shift ;;
	-noprofile) PROFILE=0 ;;
	*) echo "usage: $0 [-quick] [-rounds N] [-latency-rounds N] [-window S] [-warmup S] [-servers LIST] [-scenarios LIST] [-tls-servers LIST] [-tls-scenarios LIST] [-out DIR] [-noprofile]" >&2; exit 2 ;;
	esac
	shift
done
if [ "$QUICK" = 1 ]; then
	ROUNDS=1 LATENCY_ROUNDS=1 WINDOW=0.3 WARMUP=0.1 IDLE=1000 PROFILE=0
	OUT=${OUT:-$BENCH/out/quick}
fi
OUT=${OUT:-$BENCH}
LOGS=$BENCH/out
mkdir -p "$OUT" "$LOGS" "$BENCH/bin"
BIN=$BENCH/bin

step() { printf '\n=== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

step "build"
go build -o "$BIN/" ./servers/qsock ./servers/gonet ./servers/gnet ./servers/qsocktls ./servers/gonettls ./loadgen ./report
cc -O2 -Wall -o "$BIN/cepoll" servers/cepoll/echo.c
HAVE_QT=0
if pkg-config --exists Qt5Network 2>/dev/null && command -v g++ >/dev/null; then
	# shellcheck disable=SC2046
	g++ -O2 -fPIC -std=c++17 -o "$BIN/qtecho" servers/qt/echo.cpp $(pkg-config --cflags --libs Qt5Network)
	HAVE_QT=1
else
	echo "Qt 5 development files not found (apt-get install qtbase5-dev g++ pkg-config): skipping the Qt server"
fi
if [ "$HAVE_QT" = 0 ]; then
	SERVERS=$(echo "$SERVERS" | tr ' ' '\n' | grep -vx qt | tr '\n' ' ')
fi

# server_cmd NAME PORT [EXTRA...]: the command line of a server.
server_cmd() {
	local name=$1 port=$2
	shift 2
	case "$name" in
	qsock) echo "$BIN/qsock -port $port -loops 2 $*" ;;
	qsock-1) echo "$BIN/qsock -port $port -loops 1 $*" ;;
	gonet) echo "$BIN/gonet -port $port" ;;
	gnet) echo "$BIN/gnet -port $port" ;;
	cepoll) echo "$BIN/cepoll $port" ;;
	qt) echo "$BIN/qtecho $port" ;;
	qsocktls) echo "$BIN/qsocktls -port $port -loops 1 $*" ;;
	qsocktls-2) echo "$BIN/qsocktls -port $port -loops 2 $*" ;;
	gonettls) echo "$BIN/gonettls -port $port $*" ;;
	*) echo "unknown server $name" >&2; return 1 ;;
	esac
}

# scenario_args NAME: the load generator's flags for a scenario.
scenario_args() {
	case "$1" in
	echo-1x64) echo "-kind pingpong -conns 1 -size 64" ;;
	echo-100x64) echo "-kind pingpong -conns 100 -size 64" ;;
	echo-1000x64) echo "-kind pingpong -conns 1000 -size 64" ;;
	echo-100x4k) echo "-kind pingpong -conns 100 -size 4096" ;;
	pipe-100x64x16) echo "-kind pipeline -conns 100 -size 64 -depth 16" ;;
	bulk-64k) echo "-kind bulk -conns 1 -size 65536" ;;
	connect) echo "-kind connect -workers 16" ;;
	idle) echo "-kind idle -conns $IDLE -workers 32" ;;
	tls-connect) echo "-tls -kind connect -workers 16" ;;
	tls-echo-100x64) echo "-tls -kind pingpong -conns 100 -size 64" ;;
	tls-idle) echo "-tls -kind idle -conns $IDLE -workers 32" ;;
	*) echo "unknown scenario $1" >&2; return 1 ;;
	esac
}

SERVER_PID=
stop_server() {
	if [ -n "$SERVER_PID" ]; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=
	fi
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# Ports below the ephemeral range, a new one per server start.
PORT=20000
next_port() {
	PORT=$((PORT + 1))
	[ "$PORT" -lt 32000 ] || PORT=20001
}

# start_server NAME [EXTRA...]: starts it on a fresh port; sets SERVER_PID.
start_server() {
	local name=$1
	shift
	next_port
	local cmd
	cmd=$(server_cmd "$name" "$PORT" "$@")
	# shellcheck disable=SC2086
	$cmd >"$LOGS/server.log" 2>&1 &
	SERVER_PID=$!
}

JSONL=$OUT/results.jsonl
: >"$JSONL"
step "run: $ROUNDS round(s), $WINDOW s windows, servers: $SERVERS"
[ -z "$TLS_SCENARIOS" ] || step "TLS: servers: $TLS_SERVERS; scenarios: $TLS_SCENARIOS"
# run_one ROUND SCENARIO SERVER: one fresh server through one scenario.
run_one() {
	local round=$1 sc=$2 srv=$3
	start_server "$srv"
	# shellcheck disable=SC2046
	if line=$(timeout 180 "$BIN/loadgen" -addr "127.0.0.1:$PORT" -pid "$SERVER_PID" \
		-server "$srv" -scenario "$sc" -round "$round" \
		-duration "${WINDOW}s" -warmup "${WARMUP}s" $(scenario_args "$sc")); then
		echo "$line" >>"$JSONL"
	else
		echo "round $round $sc $srv: load generator failed; server log:" >&2
		tail -5 "$LOGS/server.log" >&2 || true
	fi
	stop_server
}
# in_order ROUND LIST: LIST, reversed in even rounds.
in_order() {
	if [ $(($1 % 2)) = 0 ]; then
		echo "$2" | tr ' ' '\n' | { grep -v '^$' || true; } | tac | tr '\n' ' '
	else
		echo "$2"
	fi
}
for round in $(seq 1 "$ROUNDS"); do
	order=$(in_order "$round" "$SERVERS")
	for sc in $SCENARIOS; do
		for srv in $order; do
			run_one "$round" "$sc" "$srv"
		done
	done
	order=$(in_order "$round" "$TLS_SERVERS")
	for sc in $TLS_SCENARIOS; do
		for srv in $order; do
			run_one "$round" "$sc" "$srv"
		done
	done
done
# The latency row's extra rounds.
if echo "$SCENARIOS" | grep -qw echo-1x64; then
	for round in $(seq $((ROUNDS + 1)) "$LATENCY_ROUNDS"); do
		for srv in $(in_order "$round" "$SERVERS"); do
			run_one "$round" echo-1x64 "$srv"
		done
	done
fi

PROFILE_TXT=
if [ "$PROFILE" = 1 ] && echo "$SERVERS" | grep -qw qsock; then
	step "CPU profile of the qsock server (2 loops), echo 100 conns x 64 B"
	start_server qsock -cpuprofile "$LOGS/qsock-100x64.pprof"
	"$BIN/loadgen" -addr "127.0.0.1:$PORT" -pid "$SERVER_PID" -server qsock -scenario profile \
		-duration 5s -warmup 0.5s $(scenario_args echo-100x64) >/dev/null
	stop_server
	PROFILE_TXT=$OUT/profile-qsock-100x64.txt
	{
		go tool pprof -top -nodecount=25 "$BIN/qsock" "$LOGS/qsock-100x64.pprof" 2>/dev/null
		echo
		echo "The same profile by cumulative time (go tool pprof -top -cum):"
		go tool pprof -top -cum -nodecount=25 "$BIN/qsock" "$LOGS/qsock-100x64.pprof" 2>/dev/null | sed -n '/flat  flat%/,$p'
	} >"$PROFILE_TXT"
	cat "$PROFILE_TXT"
fi

TLS_PROFILE_TXT=
if [ "$PROFILE" = 1 ] && echo "$TLS_SERVERS" | grep -qw qsocktls; then
	step "CPU profile of the qsock TLS server, TLS echo 100 conns x 64 B"
	start_server qsocktls -cpuprofile "$LOGS/qsocktls-100x64.pprof"
	"$BIN/loadgen" -addr "127.0.0.1:$PORT" -pid "$SERVER_PID" -server qsocktls -scenario profile \
		-duration 5s -warmup 0.5s $(scenario_args tls-echo-100x64) >/dev/null
	stop_server
	TLS_PROFILE_TXT=$OUT/profile-qsocktls-100x64.txt
	go tool pprof -top -nodecount=25 "$BIN/qsocktls" "$LOGS/qsocktls-100x64.pprof" 2>/dev/null >"$TLS_PROFILE_TXT"
	cat "$TLS_PROFILE_TXT"
fi

# A full run into bench/ also refreshes the tables in bench/README.md.
README=
if [ "$OUT" = "$BENCH" ] && [ "$QUICK" = 0 ]; then
	README=$BENCH/README.md
fi
step "report"
"$BIN/report" -in "$JSONL" -md "$OUT/results.md" -png "$OUT/results.png" \
	-note "$ROUNDS round(s) (the 1-connection latency row: $(( LATENCY_ROUNDS > ROUNDS ? LATENCY_ROUNDS : ROUNDS ))), ${WINDOW} s measurement window after ${WARMUP} s warm-up per server and scenario; $IDLE idle connections; server order reversed every other round." \
	${PROFILE_TXT:+-profile "$PROFILE_TXT"} ${TLS_PROFILE_TXT:+-tlsprofile "$TLS_PROFILE_TXT"} ${README:+-readme "$README"}
echo "wrote $OUT/results.md and the chart(s) $OUT/results*.png"
