/**
 * Test support: a real SOAP service playing a hospital's HIS. It answers GetSettledEncounters
 * (an XML document inside a string element, paged) and GetEncountersJson (a JSON document
 * inside a string element), the two shapes hospital web services commonly return.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import soap from 'soap';

const WSDL = `<?xml version="1.0" encoding="UTF-8"?>
<definitions name="HisService" targetNamespace="http://his.example/ws" xmlns:tns="http://his.example/ws"
  xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="http://schemas.xmlsoap.org/wsdl/">
  <types>
    <xsd:schema targetNamespace="http://his.example/ws" elementFormDefault="qualified">
      <xsd:element name="GetSettledEncounters">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="beginDate" type="xsd:string"/><xsd:element name="endDate" type="xsd:string"/>
          <xsd:element name="pageNo" type="xsd:int"/><xsd:element name="pageSize" type="xsd:int"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
      <xsd:element name="GetSettledEncountersResponse">
        <xsd:complexType><xsd:sequence><xsd:element name="GetSettledEncountersResult" type="xsd:string"/></xsd:sequence></xsd:complexType>
      </xsd:element>
      <xsd:element name="GetEncountersJson">
        <xsd:complexType><xsd:sequence><xsd:element name="request" type="xsd:string"/></xsd:sequence></xsd:complexType>
      </xsd:element>
      <xsd:element name="GetEncountersJsonResponse">
        <xsd:complexType><xsd:sequence><xsd:element name="result" type="xsd:string"/></xsd:sequence></xsd:complexType>
      </xsd:element>
    </xsd:schema>
  </types>
  <message name="GetSettledEncountersIn"><part name="parameters" element="tns:GetSettledEncounters"/></message>
  <message name="GetSettledEncountersOut"><part name="parameters" element="tns:GetSettledEncountersResponse"/></message>
  <message name="GetEncountersJsonIn"><part name="parameters" element="tns:GetEncountersJson"/></message>
  <message name="GetEncountersJsonOut"><part name="parameters" element="tns:GetEncountersJsonResponse"/></message>
  <portType name="HisPort">
    <operation name="GetSettledEncounters"><input message="tns:GetSettledEncountersIn"/><output message="tns:GetSettledEncountersOut"/></operation>
    <operation name="GetEncountersJson"><input message="tns:GetEncountersJsonIn"/><output message="tns:GetEncountersJsonOut"/></operation>
  </portType>
  <binding name="HisBinding" type="tns:HisPort">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="GetSettledEncounters"><soap:operation soapAction="http://his.example/ws/GetSettledEncounters"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
    <operation name="GetEncountersJson"><soap:operation soapAction="http://his.example/ws/GetEncountersJson"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
  </binding>
  <service name="HisService"><port name="HisPort" binding="tns:HisBinding"><soap:address location="http://127.0.0.1:0/his"/></port></service>
</definitions>`;

/** One encounter as the HIS keeps it (its own field names). */
export interface HisEncounter {
  JZID: string;
  BRID: string;
  XM: string;
  XB: 'M' | 'F';
  CSRQ: string;
  RYSJ: string;
  CYSJ: string;
  JZLX: string;
  XZ: string;
  ZD: Array<{ ZDDM: string; ZDMC: string }>;
  YZ: Array<{ YZID: string; YBBM?: string; YNBM: string; XMMC: string; SL: number; DJ: number; KSSJ: string; KSDM: string; KSMC: string; YSDM: string; YSXM: string }>;
}

function esc(s: string | number): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function toXml(list: HisEncounter[], total: number): string {
  const enc = list
    .map((e) =>
      [
        '<Encounter>',
        ...(['JZID', 'BRID', 'XM', 'XB', 'CSRQ', 'RYSJ', 'CYSJ', 'JZLX', 'XZ'] as const).map((k) => `<${k}>${esc(e[k])}</${k}>`),
        '<Diagnoses>',
        ...e.ZD.map((d) => `<Diagnosis><ZDDM>${esc(d.ZDDM)}</ZDDM><ZDMC>${esc(d.ZDMC)}</ZDMC></Diagnosis>`),
        '</Diagnoses>',
        '<Orders>',
        ...e.YZ.map(
          (o) =>
            `<Order>${Object.entries(o)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => `<${k}>${esc(v)}</${k}>`)
              .join('')}</Order>`,
        ),
        '</Orders>',
        '</Encounter>',
      ].join(''),
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Code>0</Code><Message>成功</Message><Total>${total}</Total><Encounters>${enc}</Encounters></Response>`;
}

/** A running HIS web service; `calls` records each request's arguments. */
export interface HisService {
  /** WSDL URL. */
  wsdl: string;
  /** Arguments of every call, in order. */
  calls: unknown[];
  /** Stops the server. */
  close(): Promise<void>;
}

/** Starts the service on 127.0.0.1, a free port, serving `encounters`. */
export async function startHisService(encounters: HisEncounter[]): Promise<HisService> {
  const calls: unknown[] = [];
  const server = http.createServer((req, res) => {
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const service = {
    HisService: {
      HisPort: {
        GetSettledEncounters(args: { beginDate: string; endDate: string; pageNo: number; pageSize: number }) {
          calls.push(args);
          const inPeriod = encounters.filter((e) => e.CYSJ.slice(0, 10) >= args.beginDate && e.CYSJ.slice(0, 10) <= args.endDate);
          const page = inPeriod.slice((Number(args.pageNo) - 1) * Number(args.pageSize), Number(args.pageNo) * Number(args.pageSize));
          return { GetSettledEncountersResult: toXml(page, inPeriod.length) };
        },
        GetEncountersJson(args: { request: string }) {
          calls.push(args);
          return { result: JSON.stringify({ code: 0, data: { encounters } }) };
        },
      },
    },
  };
  soap.listen(server, '/his', service, WSDL.replace('127.0.0.1:0', `127.0.0.1:${port}`));
  return {
    wsdl: `http://127.0.0.1:${port}/his?wsdl`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
