// qtudppeer is a Qt console datagram peer for the interop tests: it sends
// or receives datagrams with QUdpSocket exactly as Qt's broadcast and
// multicast examples do, without widgets and without moc (lambdas only).
//
//   qtudppeer send ADDR PORT N [-iface NAME] [-ttl T] [-interval MS] [-payload TEXT]
//       Sends "TEXT 1" .. "TEXT N" (default TEXT "Broadcast message") to
//       ADDR:PORT, one every MS milliseconds (default 20). ADDR may be a
//       broadcast address (Qt needs no set-up for it) or a multicast group:
//       then the socket is bound to AnyIPv4 or AnyIPv6 as Qt's
//       multicastsender binds it, with MulticastTtlOption T and, with
//       -iface, setMulticastInterface. Prints "sent N" and exits 0.
//
//   qtudppeer recv PORT N [-group ADDR] [-iface NAME] [-timeout MS]
//       Binds PORT (Any with ShareAddress|ReuseAddressHint as Qt's
//       broadcastreceiver; with -group, AnyIPv4 or AnyIPv6 of the group's
//       family and joinMulticastGroup, on -iface if given, as Qt's
//       multicastreceiver), prints "ready", then one line per datagram:
//       the payload, a tab, and the sender. Exits 0 after N datagrams, 2
//       on timeout (default 10000 ms), 1 on any failure.
#include <QCoreApplication>
#include <QHostAddress>
#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QTimer>
#include <QUdpSocket>

#include <cstdio>
#include <cstdlib>
#include <cstring>

static int fail(const char *what, const QString &why)
{
    std::fprintf(stderr, "qtudppeer: %s: %s\n", what, qPrintable(why));
    return 1;
}

// option returns the value after name in args, or def.
static QString option(const QStringList &args, const char *name, const QString &def)
{
    int i = args.indexOf(QString::fromLatin1(name));
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : def;
}

static int sendMode(QCoreApplication &app, const QStringList &args)
{
    QHostAddress addr(args.at(2));
    quint16 port = args.at(3).toUShort();
    int n = args.at(4).toInt();
    if (addr.isNull() || port == 0 || n <= 0)
        return fail("send", "usage: send ADDR PORT N [-iface NAME] [-ttl T] [-interval MS] [-payload TEXT]");
    QString iface = option(args, "-iface", QString());
    int ttl = option(args, "-ttl", "1").toInt();
    int interval = option(args, "-interval", "20").toInt();
    QByteArray payload = option(args, "-payload", "Broadcast message").toUtf8();

    QUdpSocket socket;
    if (addr.isMulticast()) {
        // As Qt's multicastsender: bound to one family, TTL, interface.
        bool v4 = addr.protocol() == QAbstractSocket::IPv4Protocol;
        if (!socket.bind(QHostAddress(v4 ? QHostAddress::AnyIPv4 : QHostAddress::AnyIPv6), 0))
            return fail("bind", socket.errorString());
        socket.setSocketOption(QAbstractSocket::MulticastTtlOption, ttl);
        if (!iface.isEmpty()) {
            QNetworkInterface ifi = QNetworkInterface::interfaceFromName(iface);
            if (!ifi.isValid())
                return fail("iface", iface + " not found");
            socket.setMulticastInterface(ifi);
        }
    }
    int sent = 0;
    int status = 0;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, [&]() {
        QByteArray datagram = payload + ' ' + QByteArray::number(++sent);
        if (socket.writeDatagram(datagram, addr, port) != datagram.size()) {
            status = fail("writeDatagram", socket.errorString());
            app.exit(status);
            return;
        }
        if (sent == n) {
            std::printf("sent %d\n", sent);
            std::fflush(stdout);
            app.exit(0);
        }
    });
    timer.start(interval);
    return app.exec();
}

static int recvMode(QCoreApplication &app, const QStringList &args)
{
    quint16 port = args.at(2).toUShort();
    int n = args.at(3).toInt();
    if (port == 0 || n <= 0)
        return fail("recv", "usage: recv PORT N [-group ADDR] [-iface NAME] [-timeout MS]");
    QString groupText = option(args, "-group", QString());
    QString iface = option(args, "-iface", QString());
    int timeout = option(args, "-timeout", "10000").toInt();

    QUdpSocket socket;
    if (groupText.isEmpty()) {
        // Qt's broadcastreceiver: bind(45454, ShareAddress).
        if (!socket.bind(QHostAddress::Any, port, QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint))
            return fail("bind", socket.errorString());
    } else {
        // Qt's multicastreceiver: bind the group's family, then join.
        QHostAddress group(groupText);
        if (!group.isMulticast())
            return fail("group", groupText + " is not a multicast address");
        bool v4 = group.protocol() == QAbstractSocket::IPv4Protocol;
        if (!socket.bind(QHostAddress(v4 ? QHostAddress::AnyIPv4 : QHostAddress::AnyIPv6), port, QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint))
            return fail("bind", socket.errorString());
        bool joined;
        if (iface.isEmpty()) {
            joined = socket.joinMulticastGroup(group);
        } else {
            QNetworkInterface ifi = QNetworkInterface::interfaceFromName(iface);
            if (!ifi.isValid())
                return fail("iface", iface + " not found");
            joined = socket.joinMulticastGroup(group, ifi);
        }
        if (!joined)
            return fail("joinMulticastGroup", socket.errorString());
    }
    int got = 0;
    QObject::connect(&socket, &QUdpSocket::readyRead, [&]() {
        while (socket.hasPendingDatagrams() && got < n) {
            QNetworkDatagram d = socket.receiveDatagram();
            std::printf("%s\t%s:%u\n", d.data().constData(), qPrintable(d.senderAddress().toString()), unsigned(d.senderPort()));
            std::fflush(stdout);
            if (++got == n)
                app.exit(0);
        }
    });
    QTimer::singleShot(timeout, [&]() {
        std::fprintf(stderr, "qtudppeer: timed out after %d of %d datagrams\n", got, n);
        app.exit(2);
    });
    std::printf("ready\n");
    std::fflush(stdout);
    return app.exec();
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    if (args.size() >= 5 && args.at(1) == "send")
        return sendMode(app, args);
    if (args.size() >= 4 && args.at(1) == "recv")
        return recvMode(app, args);
    std::fprintf(stderr,
                 "usage: qtudppeer send ADDR PORT N [-iface NAME] [-ttl T] [-interval MS] [-payload TEXT]\n"
                 "       qtudppeer recv PORT N [-group ADDR] [-iface NAME] [-timeout MS]\n");
    return 1;
}
