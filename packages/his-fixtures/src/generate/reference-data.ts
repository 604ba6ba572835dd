/**
 * Fixed reference data of the generated hospital: departments with their usual diagnoses
 * (ICD-10 national edition codes), name parts, titles and operations.
 */

/** A department. */
export interface Department {
  /** Department code. */
  code: string;
  /** Name. */
  name: string;
  /** Who is seen there. */
  patients: 'all' | 'children' | 'women' | 'adults';
  /** Performs operations. */
  surgical: boolean;
  /** Share of inpatient encounters among its visits. */
  inpatientShare: number;
  /** Usual diagnoses [ICD-10 code, name]. */
  diagnoses: Array<[string, string]>;
}

/** The departments. */
export const DEPARTMENTS: Department[] = [
  {
    code: 'A01',
    name: '心血管内科',
    patients: 'adults',
    surgical: false,
    inpatientShare: 0.25,
    diagnoses: [
      ['I10.x00', '原发性高血压'],
      ['I25.103', '冠状动脉粥样硬化性心脏病'],
      ['I48.x00', '心房颤动'],
      ['I50.900', '心力衰竭'],
    ],
  },
  {
    code: 'A02',
    name: '呼吸内科',
    patients: 'all',
    surgical: false,
    inpatientShare: 0.2,
    diagnoses: [
      ['J18.900', '肺炎'],
      ['J44.100', '慢性阻塞性肺病伴有急性加重'],
      ['J45.900', '哮喘'],
      ['J06.900', '急性上呼吸道感染'],
    ],
  },
  {
    code: 'A03',
    name: '内分泌科',
    patients: 'adults',
    surgical: false,
    inpatientShare: 0.15,
    diagnoses: [
      ['E11.900', '2型糖尿病'],
      ['E05.900', '甲状腺毒症'],
      ['E78.500', '高脂血症'],
    ],
  },
  {
    code: 'A04',
    name: '神经内科',
    patients: 'adults',
    surgical: false,
    inpatientShare: 0.3,
    diagnoses: [
      ['I63.900', '脑梗死'],
      ['G43.900', '偏头痛'],
      ['G40.900', '癫痫'],
    ],
  },
  {
    code: 'A05',
    name: '消化内科',
    patients: 'all',
    surgical: false,
    inpatientShare: 0.2,
    diagnoses: [
      ['K29.700', '胃炎'],
      ['K21.900', '胃食管反流病'],
      ['K80.200', '胆囊结石'],
    ],
  },
  {
    code: 'B01',
    name: '普通外科',
    patients: 'all',
    surgical: true,
    inpatientShare: 0.45,
    diagnoses: [
      ['K35.800', '急性阑尾炎'],
      ['K40.900', '腹股沟疝'],
      ['K80.100', '胆囊结石伴胆囊炎'],
    ],
  },
  {
    code: 'B02',
    name: '骨科',
    patients: 'all',
    surgical: true,
    inpatientShare: 0.4,
    diagnoses: [
      ['S72.000', '股骨颈骨折'],
      ['M17.900', '膝关节病'],
      ['M51.202', '腰椎间盘突出'],
    ],
  },
  {
    code: 'B03',
    name: '泌尿外科',
    patients: 'adults',
    surgical: true,
    inpatientShare: 0.35,
    diagnoses: [
      ['N40.x00', '前列腺增生'],
      ['N20.000', '肾结石'],
      ['C61.x00', '前列腺恶性肿瘤'],
    ],
  },
  {
    code: 'B04',
    name: '神经外科',
    patients: 'all',
    surgical: true,
    inpatientShare: 0.5,
    diagnoses: [
      ['S06.600', '外伤性蛛网膜下出血'],
      ['I61.900', '脑出血'],
    ],
  },
  {
    code: 'C01',
    name: '妇科',
    patients: 'women',
    surgical: true,
    inpatientShare: 0.3,
    diagnoses: [
      ['N83.200', '卵巢囊肿'],
      ['D25.900', '子宫平滑肌瘤'],
      ['N76.000', '阴道炎'],
    ],
  },
  {
    code: 'C02',
    name: '产科',
    patients: 'women',
    surgical: true,
    inpatientShare: 0.6,
    diagnoses: [
      ['O80.000', '单胎顺产'],
      ['O82.000', '剖宫产'],
      ['Z34.900', '正常妊娠监督'],
    ],
  },
  {
    code: 'D01',
    name: '儿科',
    patients: 'children',
    surgical: false,
    inpatientShare: 0.15,
    diagnoses: [
      ['J06.900', '急性上呼吸道感染'],
      ['A09.900', '胃肠炎'],
      ['J20.900', '急性支气管炎'],
    ],
  },
  {
    code: 'E01',
    name: '眼科',
    patients: 'all',
    surgical: true,
    inpatientShare: 0.1,
    diagnoses: [
      ['H25.900', '老年性白内障'],
      ['H10.900', '结膜炎'],
    ],
  },
  {
    code: 'E02',
    name: '耳鼻咽喉科',
    patients: 'all',
    surgical: true,
    inpatientShare: 0.1,
    diagnoses: [
      ['J32.900', '慢性鼻窦炎'],
      ['H66.900', '中耳炎'],
    ],
  },
  {
    code: 'F01',
    name: '康复医学科',
    patients: 'all',
    surgical: false,
    inpatientShare: 0.35,
    diagnoses: [
      ['Z50.900', '康复治疗'],
      ['I69.300', '脑梗死后遗症'],
    ],
  },
  {
    code: 'G01',
    name: '急诊科',
    patients: 'all',
    surgical: false,
    inpatientShare: 0.08,
    diagnoses: [
      ['R50.900', '发热'],
      ['T14.900', '损伤'],
      ['R10.400', '腹痛'],
    ],
  },
  {
    code: 'H01',
    name: '肿瘤科',
    patients: 'adults',
    surgical: false,
    inpatientShare: 0.55,
    diagnoses: [
      ['C34.900', '肺恶性肿瘤'],
      ['C16.900', '胃恶性肿瘤'],
      ['C50.900', '乳房恶性肿瘤'],
    ],
  },
  {
    code: 'K01',
    name: '中医科',
    patients: 'all',
    surgical: false,
    inpatientShare: 0.1,
    diagnoses: [
      ['M54.500', '腰痛'],
      ['R51.x00', '头痛'],
    ],
  },
];

/** Surnames (frequent first). */
export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );

/** Given-name characters. */
export const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰红梅鹏飞建国志强文斌海燕欣怡子涵浩然宇轩梓萱一诺雨桐思远俊杰晓东丹丹'.split('');

/** Doctors' professional titles with their share. */
export const TITLES: Array<[string, number]> = [
  ['主任医师', 0.12],
  ['副主任医师', 0.22],
  ['主治医师', 0.38],
  ['住院医师', 0.28],
];

/** Operations [ICD-9-CM-3 code, name] by department. */
export const OPERATIONS: Record<string, Array<[string, string]>> = {
  B01: [
    ['47.0100', '腹腔镜下阑尾切除术'],
    ['53.0500', '腹股沟疝修补术'],
    ['51.2300', '腹腔镜下胆囊切除术'],
  ],
  B02: [
    ['81.5100', '全髋关节置换术'],
    ['79.3500', '股骨骨折切开复位内固定术'],
    ['80.5100', '椎间盘切除术'],
  ],
  B03: [
    ['60.2900', '经尿道前列腺电切术'],
    ['55.0400', '经皮肾镜取石术'],
  ],
  B04: [['01.3900', '颅内血肿清除术']],
  C01: [
    ['65.2900', '卵巢囊肿剔除术'],
    ['68.2900', '子宫肌瘤剔除术'],
  ],
  C02: [['74.1x00', '子宫下段剖宫产术']],
  E01: [['13.4100', '白内障超声乳化抽吸术']],
  E02: [['22.6300', '鼻内镜下筛窦开放术']],
};

/** Insurance types with their share among patients. */
export const INSUTYPES: Array<[string, number]> = [
  ['310', 0.55],
  ['390', 0.4],
  ['340', 0.02],
  ['391', 0.03],
];
