// qtecho: the benchmark's Qt 5 echo server, as a Qt user writes it: a
// QTcpServer whose newConnection slot sets LowDelayOption on the socket,
// echoes readAll() on readyRead and deleteLater()s it on disconnected. One
// thread, Qt's own event dispatcher.
//
// Usage: qtecho PORT
#include <QCoreApplication>
#include <QTcpServer>
#include <QTcpSocket>
#include <csignal>
#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: qtecho PORT\n");
        return 2;
    }
    std::signal(SIGTERM, [](int) { std::_Exit(0); });
    QTcpServer server;
    QObject::connect(&server, &QTcpServer::newConnection, [&server] {
        while (QTcpSocket *s = server.nextPendingConnection()) {
            s->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            QObject::connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
            QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    });
    server.setMaxPendingConnections(4096);
    if (!server.listen(QHostAddress::AnyIPv4, quint16(std::atoi(argv[1])))) {
        std::fprintf(stderr, "listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("qt echo listening on :%s\n", argv[1]);
    std::fflush(stdout);
    return app.exec();
}
