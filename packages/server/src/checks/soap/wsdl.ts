/**
 * The WSDL of the SOAP endpoint: one document/literal operation, BusinessHandle(input) → output,
 * named after the provincial insurance DLLs' BUSINESS_HANDLE(in, out) that HIS vendors know.
 * `input` is the national envelope (3101/3102/3103 JSON) as a string; `output` the national reply string.
 */

/** Target namespace. */
const SOAP_NAMESPACE = 'urn:preaudit:soap';

/** The WSDL with the endpoint's address filled in. */
export function wsdl(location: string): string {
  const loc = location.replace(/[<>&"]/g, '');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions name="PreauditService" targetNamespace="${SOAP_NAMESPACE}"
  xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:tns="${SOAP_NAMESPACE}" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <documentation>医保事前事中审核 WebService: BusinessHandle takes a national 3101/3102/3103 envelope (JSON text) and returns the national reply (JSON text).</documentation>
  <types>
    <xsd:schema targetNamespace="${SOAP_NAMESPACE}" elementFormDefault="qualified">
      <xsd:element name="BusinessHandle">
        <xsd:complexType><xsd:sequence><xsd:element name="input" type="xsd:string"/></xsd:sequence></xsd:complexType>
      </xsd:element>
      <xsd:element name="BusinessHandleResponse">
        <xsd:complexType><xsd:sequence><xsd:element name="output" type="xsd:string"/></xsd:sequence></xsd:complexType>
      </xsd:element>
    </xsd:schema>
  </types>
  <message name="BusinessHandleRequest"><part name="parameters" element="tns:BusinessHandle"/></message>
  <message name="BusinessHandleResponse"><part name="parameters" element="tns:BusinessHandleResponse"/></message>
  <portType name="PreauditPortType">
    <operation name="BusinessHandle">
      <input message="tns:BusinessHandleRequest"/>
      <output message="tns:BusinessHandleResponse"/>
    </operation>
  </portType>
  <binding name="PreauditBinding" type="tns:PreauditPortType">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="BusinessHandle">
      <soap:operation soapAction="${SOAP_NAMESPACE}#BusinessHandle"/>
      <input><soap:body use="literal"/></input>
      <output><soap:body use="literal"/></output>
    </operation>
  </binding>
  <service name="PreauditService">
    <port name="PreauditPort" binding="tns:PreauditBinding"><soap:address location="${loc}"/></port>
  </service>
</definitions>
`;
}
