#!/usr/bin/env python3
"""A real SMTP server for patron's email tests: every message it accepts is saved to a folder
(NNNNNN.eml, the message as received, and NNNNNN.rcpt, its envelope recipients one a line),
and recipients matching --reject are refused with 550 (--tempfail: 451).

Usage: smtp_sink.py --port PORT --dir DIR [--reject REGEX] [--tempfail REGEX]
Needs aiosmtpd (pip install aiosmtpd). Runs until killed.
"""
import argparse
import asyncio
import itertools
import os
import re
import signal

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder, reject, tempfail):
        self.folder = folder
        self.reject = re.compile(reject) if reject else None
        self.tempfail = re.compile(tempfail) if tempfail else None
        self.numbers = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject.search(address):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if self.tempfail and self.tempfail.search(address):
            return "451 4.3.0 <%s>: Temporary failure, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n = next(self.numbers)
        base = os.path.join(self.folder, "%06d" % n)
        # Written under a temporary name and renamed, so a reader never sees half a message.
        for ext, data in ((".rcpt", "\n".join(envelope.rcpt_tos).encode()),
                          (".eml", envelope.original_content or envelope.content)):
            with open(base + ext + ".tmp", "wb") as f:
                f.write(data)
            os.replace(base + ext + ".tmp", base + ext)
        return "250 2.0.0 Ok: queued as SINK%06d" % n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--reject")
    p.add_argument("--tempfail")
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    controller = Controller(Sink(a.dir, a.reject, a.tempfail), hostname="127.0.0.1",
                            port=a.port, data_size_limit=10 * 1024 * 1024)
    controller.start()
    loop = asyncio.new_event_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    loop.run_until_complete(stop)
    controller.stop()


if __name__ == "__main__":
    main()
