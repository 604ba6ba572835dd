/**
 * The reviewed dictionary behind 药品限适应症 and 药品限二线使用: disease names as the catalogue
 * limits write them → ICD-10 (医保版, which keeps the WHO categories) code prefixes, each with
 * the ICD-10 category or block it comes from. NHSA publishes no diagnosis codes for these limits;
 * this table is the product's own knowledge work, applied deterministically by
 * build/indications.ts. A limit whose indication uses a name not in here becomes a reminder.
 *
 * Choices (README, "药品限适应症"): the prefixes are the category (3 characters) or the
 * subcategory (4) the name denotes; where national subcategory coding varies in practice
 * (lymphoma subtypes, GEP tumours), the whole block is listed, since a limit that fires on a
 * correctly coded patient costs more than one that lets a neighbouring subtype through. Prefixes
 * are compared on the code without its dot (K26.901 → K26901 starts with K26).
 */

/** One dictionary entry: every name, the prefixes, and where they come from in ICD-10. */
export interface TermDef {
  terms: string[];
  icd: string[];
  source: string;
  /** Used only when the alternative names no other disease (「限放化疗」), never to widen one that does (「含铂化疗治疗失败的宫颈癌」). */
  fallback?: boolean;
}

/**
 * Phrases removed before matching, because they contain a disease name without meaning the
 * disease: gene, receptor and bacterium names (间变性淋巴瘤激酶 ALK is no lymphoma, 流感嗜血杆菌 no
 * influenza), the stage of another disease (「非肝硬化慢性丙型肝炎」 needs hepatitis C, not
 * cirrhosis) and treatments the
 * patient is unfit for.
 */
export const MASKS: readonly string[] = [
  '间变性淋巴瘤激酶',
  '鼠类肉瘤病毒癌基因',
  '副流感嗜血杆菌',
  '流感嗜血杆菌',
  '非肝硬化',
  '无肝硬化',
  '伴代偿性肝硬化',
  '不适合自体造血干细胞移植',
  '不适合接受造血干细胞移植',
  '不适合自体干细胞移植',
];

const range = (letter: string, from: number, to: number): string[] => {
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(`${letter}${String(n).padStart(2, '0')}`);
  return out;
};

const MALIGNANT = ['C']; // C00–C97 恶性肿瘤 (the whole chapter II part the letter C holds)
const DIGESTIVE_CA = range('C', 15, 26);
const LYMPHOMA = [...range('C', 81, 86), 'C88'];

/** The dictionary. Longer names win over the shorter names they contain (非小细胞肺癌 before 肺癌). */
export const TERMS: TermDef[] = [
  // Chapter I 某些传染病和寄生虫病
  {
    terms: ['艾滋病', '获得性免疫缺陷综合征', 'HIV感染', '人类免疫缺陷病毒感染'],
    icd: ['B20', 'B21', 'B22', 'B23', 'B24', 'Z21'],
    source: 'B20–B24 人类免疫缺陷病毒[HIV]病；Z21 无症状HIV感染状态',
  },
  { terms: ['乙型肝炎', '乙肝', 'HBV感染'], icd: ['B16', 'B180', 'B181', 'Z225'], source: 'B16 急性乙型肝炎；B18.0–B18.1 慢性病毒性乙型肝炎；Z22.5 病毒性肝炎病原携带者' },
  { terms: ['母婴乙肝传播阻断'], icd: ['O984', 'B16', 'B180', 'B181', 'Z225'], source: 'O98.4 妊娠合并病毒性肝炎；B16、B18.0–B18.1、Z22.5' },
  { terms: ['丙型肝炎', '丙肝', 'HCV感染', '丙型肝炎病毒(HCV)感染'], icd: ['B171', 'B182'], source: 'B17.1 急性丙型肝炎；B18.2 慢性病毒性丙型肝炎' },
  {
    terms: ['肝炎'],
    icd: ['B15', 'B16', 'B17', 'B18', 'B19', 'K70', 'K71', 'K73', 'K75'],
    source: 'B15–B19 病毒性肝炎；K70 酒精性肝病；K71 中毒性肝病；K73 慢性肝炎；K75 其他炎性肝病',
  },
  { terms: ['新型冠状病毒感染', 'COVID-19'], icd: ['U071', 'U072', 'B342'], source: 'U07.1/U07.2 COVID-19（WHO 紧急代码）；B34.2 冠状病毒感染' },
  { terms: ['流感'], icd: ['J09', 'J10', 'J11'], source: 'J09–J11 流行性感冒' },
  { terms: ['结核'], icd: ['A15', 'A16', 'A17', 'A18', 'A19'], source: 'A15–A19 结核病' },
  { terms: ['巨细胞病毒'], icd: ['B25', 'B278'], source: 'B25 巨细胞病毒病；B27.8' },
  { terms: ['曲霉', '曲霉菌'], icd: ['B44'], source: 'B44 曲霉病' },
  { terms: ['毛霉'], icd: ['B46'], source: 'B46 接合菌病（毛霉病）' },
  { terms: ['念珠菌', '念球菌'], icd: ['B37'], source: 'B37 念珠菌病' },
  { terms: ['念珠菌性外阴阴道病', '外阴阴道假丝酵母菌病'], icd: ['B373'], source: 'B37.3 外阴和阴道念珠菌病' },
  { terms: ['真菌感染'], icd: range('B', 35, 49), source: 'B35–B49 真菌病' },
  { terms: ['阿米巴病'], icd: ['A06'], source: 'A06 阿米巴病' },
  { terms: ['败血症', '菌血症'], icd: ['A40', 'A41', 'A49', 'P36'], source: 'A40–A41 败血症；A49 未特指部位的细菌感染；P36 新生儿细菌性败血症' },
  { terms: ['新生儿败血症'], icd: ['P36'], source: 'P36 新生儿细菌性败血症' },
  // Chapter II 肿瘤
  { terms: ['实体瘤', '癌症', '恶性肿瘤'], icd: MALIGNANT, source: 'C00–C97 恶性肿瘤' },
  { terms: ['鼻咽癌'], icd: ['C11'], source: 'C11 鼻咽恶性肿瘤' },
  { terms: ['头颈部鳞癌', '头颈部鳞状细胞癌'], icd: [...range('C', 0, 14), 'C30', 'C31', 'C32'], source: 'C00–C14 唇、口腔和咽；C30–C32 鼻腔、鼻窦、喉' },
  { terms: ['食管癌', '食管鳞癌', '食管鳞状细胞癌'], icd: ['C15'], source: 'C15 食管恶性肿瘤' },
  { terms: ['胃癌', '胃腺癌', '胃-食管结合部腺癌', '胃食管结合部腺癌'], icd: ['C16'], source: 'C16 胃恶性肿瘤（C16.0 贲门/胃食管结合部）' },
  { terms: ['结直肠癌'], icd: ['C18', 'C19', 'C20'], source: 'C18 结肠；C19 直肠乙状结肠连接处；C20 直肠恶性肿瘤' },
  { terms: ['肝细胞癌', '原发性肝癌', '肝癌'], icd: ['C22'], source: 'C22 肝和肝内胆管恶性肿瘤' },
  { terms: ['胰腺癌'], icd: ['C25'], source: 'C25 胰恶性肿瘤' },
  {
    terms: ['胃肠道间质瘤', '胃肠间质瘤', 'GIST'],
    icd: [...DIGESTIVE_CA, 'C48', 'C49', 'D37', 'D48'],
    source: 'C15–C26 消化器官恶性肿瘤；C48–C49 腹膜及软组织；D37/D48 动态未定（GIST 的编码因部位和生物学行为而异）',
  },
  {
    terms: ['神经内分泌瘤', '胃肠胰内分泌肿瘤', '神经内分泌肿瘤'],
    icd: [...DIGESTIVE_CA, 'C34', 'C37', 'C74', 'C75', 'C80', 'D13', 'D37', 'D44', 'E340'],
    source: 'C15–C26 消化器官；C34 肺；C37 胸腺；C74–C75 内分泌腺；C80；D13/D37/D44；E34.0 类癌综合征（NET 按部位编码）',
  },
  { terms: ['类癌综合征'], icd: ['E340'], source: 'E34.0 类癌综合征' },
  { terms: ['肺癌', '非小细胞肺癌', 'NSCLC', '非鳞状非小细胞肺癌', '鳞状非小细胞肺癌', '小细胞肺癌'], icd: ['C34'], source: 'C34 支气管和肺恶性肿瘤' },
  { terms: ['黑色素瘤'], icd: ['C43', 'D03'], source: 'C43 皮肤恶性黑色素瘤；D03 原位黑色素瘤（黏膜黑色素瘤按部位编码，见 README）' },
  { terms: ['基底细胞癌'], icd: ['C44'], source: 'C44 皮肤其他恶性肿瘤' },
  { terms: ['乳腺癌'], icd: ['C50', 'D05'], source: 'C50 乳房恶性肿瘤；D05 乳房原位癌' },
  { terms: ['宫颈癌'], icd: ['C53', 'D06'], source: 'C53 子宫颈恶性肿瘤；D06 子宫颈原位癌' },
  { terms: ['子宫内膜癌'], icd: ['C54'], source: 'C54 子宫体恶性肿瘤' },
  { terms: ['卵巢癌', '输卵管癌', '原发性腹膜癌'], icd: ['C56', 'C570', 'C48'], source: 'C56 卵巢；C57.0 输卵管；C48 腹膜恶性肿瘤' },
  { terms: ['卵巢转移性癌'], icd: ['C796', 'C56'], source: 'C79.6 卵巢继发性恶性肿瘤；C56' },
  { terms: ['前列腺癌'], icd: ['C61'], source: 'C61 前列腺恶性肿瘤' },
  { terms: ['肾细胞癌'], icd: ['C64'], source: 'C64 肾恶性肿瘤（除外肾盂）' },
  { terms: ['尿路上皮癌'], icd: ['C65', 'C66', 'C67', 'C68'], source: 'C65 肾盂；C66 输尿管；C67 膀胱；C68 其他泌尿器官恶性肿瘤' },
  { terms: ['甲状腺癌', '甲状腺髓样癌'], icd: ['C73'], source: 'C73 甲状腺恶性肿瘤' },
  { terms: ['骨巨细胞瘤'], icd: ['D480', 'D16', 'C40', 'C41'], source: 'D48.0 骨和关节软骨动态未定肿瘤；D16 骨良性肿瘤；C40–C41 骨恶性肿瘤' },
  {
    terms: [
      '淋巴瘤',
      '霍奇金淋巴瘤',
      '弥漫大B细胞淋巴瘤',
      '弥漫大B细胞性非霍奇金淋巴瘤',
      '套细胞淋巴瘤',
      '滤泡性淋巴瘤',
      '边缘区淋巴瘤',
      '外周T细胞淋巴瘤',
      '间变性大细胞淋巴瘤',
      '蕈样真菌病',
      '小淋巴细胞淋巴瘤',
    ],
    icd: LYMPHOMA,
    source: 'C81–C86、C88 淋巴瘤（亚型编码各地不一，取整个区段）',
  },
  { terms: ['华氏巨球蛋白血症'], icd: ['C880', 'C83'], source: 'C88.0 瓦尔登斯特伦巨球蛋白血症；C83 淋巴浆细胞淋巴瘤' },
  { terms: ['多发性骨髓瘤'], icd: ['C90'], source: 'C90 多发性骨髓瘤和恶性浆细胞肿瘤' },
  { terms: ['慢性淋巴细胞白血病'], icd: ['C911', 'C83'], source: 'C91.1 慢性淋巴细胞白血病；C83.0 小淋巴细胞淋巴瘤' },
  { terms: ['急性髓系白血病'], icd: ['C920', 'C924', 'C925', 'C926', 'C928', 'C93', 'C94'], source: 'C92.0/4/5/6/8 急性髓样白血病；C93–C94' },
  { terms: ['慢性髓性白血病', '慢性髓细胞白血病'], icd: ['C921'], source: 'C92.1 慢性髓样白血病' },
  { terms: ['朗格汉斯细胞组织细胞增生症', '组织细胞肿瘤'], icd: ['C96', 'D760'], source: 'C96 淋巴、造血和有关组织其他恶性肿瘤；D76.0 朗格汉斯细胞组织细胞增生症' },
  { terms: ['骨髓增生异常综合征'], icd: ['D46'], source: 'D46 骨髓增生异常综合征' },
  {
    terms: ['骨髓纤维化', '真性红细胞增多症', '原发性血小板增多症'],
    icd: ['D45', 'D47', 'D75'],
    source: 'D45 真性红细胞增多症；D47 淋巴造血组织动态未定肿瘤（D47.1/D47.3/D47.4）；D75',
  },
  { terms: ['Castleman病'], icd: ['D47', 'R59'], source: 'D47.7（国家版：Castleman 病）；R59 淋巴结肿大' },
  { terms: ['神经纤维瘤', '神经纤维瘤病'], icd: ['Q850'], source: 'Q85.0 神经纤维瘤病' },
  { terms: ['结节性硬化症'], icd: ['Q851'], source: 'Q85.1 结节性硬化' },
  { terms: ['子宫肌瘤'], icd: ['D25'], source: 'D25 子宫平滑肌瘤' },
  // Chapter III 血液
  { terms: ['缺铁'], icd: ['D50', 'E611'], source: 'D50 缺铁性贫血；E61.1 铁缺乏' },
  { terms: ['巨幼红细胞性贫血'], icd: ['D51', 'D52', 'D531'], source: 'D51 维生素B12缺乏性贫血；D52 叶酸缺乏性贫血；D53.1' },
  { terms: ['地中海贫血'], icd: ['D56'], source: 'D56 地中海贫血' },
  { terms: ['阵发性睡眠性血红蛋白尿'], icd: ['D595'], source: 'D59.5 阵发性睡眠性血红蛋白尿' },
  { terms: ['溶血性尿毒症综合征'], icd: ['D593'], source: 'D59.3 溶血-尿毒症综合征' },
  { terms: ['再生障碍性贫血'], icd: ['D60', 'D61'], source: 'D60–D61 再生障碍性贫血' },
  { terms: ['贫血'], icd: range('D', 50, 64), source: 'D50–D64 营养性、溶血性、再生障碍性和其他贫血' },
  { terms: ['血友病', '凝血因子Ⅸ缺乏症'], icd: ['D66', 'D67', 'D68'], source: 'D66 遗传性因子Ⅷ缺乏；D67 遗传性因子Ⅸ缺乏；D68 其他凝血缺陷（获得性）' },
  { terms: ['血纤维蛋白溶解亢进'], icd: ['D65', 'D68'], source: 'D65 弥散性血管内凝血[去纤维蛋白综合征]；D68 其他凝血缺陷' },
  {
    terms: ['血小板减少症', '血小板减少', '血小板减少性紫癜', '免疫性血小板减少症', 'ITP'],
    icd: ['D69'],
    source: 'D69 紫癜和其他出血性情况（D69.3 特发性血小板减少性紫癜，D69.4–D69.6 血小板减少）',
  },
  { terms: ['中性粒细胞减少'], icd: ['D70'], source: 'D70 粒细胞缺乏（含化疗后中性粒细胞减少）' },
  {
    terms: ['既往化疗曾发生重度中性粒细胞减少'],
    icd: ['D70', 'Z510', 'Z511', 'Z512', ...MALIGNANT, 'D45', 'D46', 'D47'],
    source: 'D70；本次化疗周期的诊断：Z51.0–Z51.2 放化疗疗程，C00–C97 恶性肿瘤，D45–D47（减少发生在既往周期，本次就诊未必再诊断 D70）',
  },
  { terms: ['免疫球蛋白缺乏症'], icd: ['D80', 'D83'], source: 'D80 以抗体缺陷为主的免疫缺陷；D83 常见变异型免疫缺陷' },
  { terms: ['免疫缺陷'], icd: ['D80', 'D81', 'D82', 'D83', 'D84', 'B20', 'B21', 'B22', 'B23', 'B24'], source: 'D80–D84 某些免疫缺陷；B20–B24 HIV病' },
  { terms: ['遗传性血管性水肿'], icd: ['D841'], source: 'D84.1 补体系统缺陷（遗传性血管性水肿）' },
  { terms: ['移植物抗宿主病'], icd: ['T860', 'D898'], source: 'T86.0 骨髓移植排斥（移植物抗宿主病）；D89.8' },
  // Chapter IV 内分泌、营养和代谢
  { terms: ['甲状腺眼病'], icd: ['H062', 'E050'], source: 'H06.2 甲状腺功能障碍性突眼；E05.0 毒性弥漫性甲状腺肿' },
  { terms: ['糖尿病'], icd: ['E10', 'E11', 'E12', 'E13', 'E14'], source: 'E10–E14 糖尿病' },
  { terms: ['2型糖尿病'], icd: ['E11'], source: 'E11 非胰岛素依赖型糖尿病' },
  { terms: ['糖尿病周围神经病变'], icd: ['E104', 'E114', 'E124', 'E134', 'E144', 'G632'], source: 'E10–E14 第四位 .4 伴有神经的并发症；G63.2 糖尿病性多神经病' },
  { terms: ['甲状旁腺功能低下'], icd: ['E20', 'E892'], source: 'E20 甲状旁腺功能减退症；E89.2 操作后甲状旁腺功能减退' },
  { terms: ['继发性甲状旁腺功能亢进'], icd: ['E211', 'N258'], source: 'E21.1 继发性甲状旁腺功能亢进；N25.8 肾性继发性甲旁亢' },
  { terms: ['肢端肥大症'], icd: ['E220'], source: 'E22.0 肢端肥大症和垂体性巨人症' },
  { terms: ['生长激素缺乏'], icd: ['E230'], source: 'E23.0 垂体功能减退（单纯生长激素缺乏）' },
  { terms: ['先天性肾上腺皮质增生症'], icd: ['E250'], source: 'E25.0 先天性肾上腺性征异常伴酶缺乏' },
  { terms: ['肾上腺皮质功能减退症', 'Addison病'], icd: ['E271', 'E272', 'E274'], source: 'E27.1 原发性肾上腺皮质功能不全；E27.2 艾迪生危象；E27.4' },
  { terms: ['多囊卵巢综合征', '多囊卵巢综合症'], icd: ['E282'], source: 'E28.2 多囊卵巢综合征' },
  { terms: ['烟酸缺乏症'], icd: ['E52'], source: 'E52 烟酸缺乏[糙皮病]' },
  { terms: ['佝偻病'], icd: ['E550', 'E833'], source: 'E55.0 活动性佝偻病；E83.3 磷代谢紊乱（低磷性佝偻病）' },
  { terms: ['酪氨酸血症'], icd: ['E702'], source: 'E70.2 酪氨酸代谢紊乱' },
  { terms: ['高血氨症', '血氨升高'], icd: ['E722', 'K72'], source: 'E72.2 尿素循环代谢紊乱（高氨血症）；K72 肝衰竭（肝性脑病）' },
  { terms: ['法布雷病', '戈谢病', '尼曼匹克病'], icd: ['E752', 'E755'], source: 'E75.2 其他鞘脂贮积症（法布里病、戈谢病、尼曼-皮克病）；E75.5' },
  { terms: ['高胆固醇血症', '混合型血脂异常', '混合性高脂血症', '高甘油三酯血症', '血脂异常'], icd: ['E78'], source: 'E78 脂蛋白代谢紊乱和其他脂血症' },
  { terms: ['高尿酸血症'], icd: ['E790'], source: 'E79.0 高尿酸血症' },
  { terms: ['高磷血症'], icd: ['E833'], source: 'E83.3 磷代谢紊乱' },
  { terms: ['低血容量'], icd: ['E86', 'R571', 'T794'], source: 'E86 血容量不足；R57.1 低血容量性休克；T79.4 创伤性休克' },
  // Chapter V–VI 精神、神经
  { terms: ['精神分裂症'], icd: ['F20'], source: 'F20 精神分裂症' },
  { terms: ['注意缺陷多动障碍', 'ADHD'], icd: ['F90'], source: 'F90 运动过度障碍' },
  { terms: ['脊髓性肌萎缩症'], icd: ['G120', 'G121'], source: 'G12.0–G12.1 脊髓性肌萎缩' },
  { terms: ['多发性硬化'], icd: ['G35'], source: 'G35 多发性硬化' },
  { terms: ['视神经脊髓炎'], icd: ['G360'], source: 'G36.0 视神经脊髓炎' },
  { terms: ['中枢神经系统感染'], icd: [...range('G', 0, 9), 'A8'], source: 'G00–G09 中枢神经系统炎性疾病；A80–A89 中枢神经系统病毒感染' },
  { terms: ['格林巴利综合征'], icd: ['G610'], source: 'G61.0 吉兰-巴雷综合征' },
  { terms: ['重症肌无力'], icd: ['G700'], source: 'G70.0 重症肌无力' },
  // Chapter VII–VIII 眼、耳
  { terms: ['视网膜动静脉阻塞'], icd: ['H34'], source: 'H34 视网膜血管阻塞' },
  { terms: ['突发性耳聋'], icd: ['H912'], source: 'H91.2 特发性突然听觉丧失' },
  { terms: ['耳部血流及神经障碍'], icd: ['H93', 'H91', 'H81', 'H83'], source: 'H93 耳的其他疾患（H93.0 血管性疾患）；H91 听觉丧失；H81、H83 内耳疾患' },
  // Chapter IX 循环系统
  { terms: ['原发性高血压'], icd: ['I10'], source: 'I10 特发性（原发性）高血压' },
  { terms: ['高血压'], icd: ['I10', 'I11', 'I12', 'I13', 'I15'], source: 'I10–I15 高血压性疾病' },
  { terms: ['急性冠脉综合征'], icd: ['I200', 'I21', 'I22', 'I24'], source: 'I20.0 不稳定型心绞痛；I21–I22 急性心肌梗死；I24 其他急性缺血性心脏病' },
  { terms: ['急性心肌梗死', '心肌梗死'], icd: ['I21', 'I22'], source: 'I21–I22 急性心肌梗死' },
  {
    terms: ['动脉粥样硬化性心血管疾病'],
    icd: [...range('I', 20, 25), 'I63', 'I65', 'I66', 'I70', 'G45'],
    source: 'I20–I25 缺血性心脏病；I63/I65/I66 脑梗死和入脑前/大脑动脉闭塞；I70 动脉粥样硬化；G45',
  },
  { terms: ['心血管疾病'], icd: ['I'], source: 'I00–I99 循环系统疾病' },
  { terms: ['肺栓塞'], icd: ['I26'], source: 'I26 肺栓塞' },
  { terms: ['肺动脉高压', 'PAH', 'CTEPH'], icd: ['I27', 'I26'], source: 'I27 其他肺源性心脏病（I27.0 原发性肺动脉高压，I27.2、I27.8）；I26（慢性血栓栓塞）' },
  { terms: ['肥厚型心肌病'], icd: ['I421', 'I422'], source: 'I42.1 梗阻性肥厚型心肌病；I42.2' },
  { terms: ['心律失常', '快速性心律失常'], icd: ['I47', 'I48', 'I49', 'R000'], source: 'I47–I49 心律失常；R00.0 心动过速' },
  { terms: ['房颤', '心房纤颤', '心房扑动'], icd: ['I48'], source: 'I48 心房纤颤和扑动' },
  { terms: ['心力衰竭', '心功能不全'], icd: ['I50', 'I110', 'I130', 'I132'], source: 'I50 心力衰竭；I11.0、I13.0、I13.2 高血压性心脏病伴心力衰竭' },
  { terms: ['脑梗死', '缺血性卒中', '血栓性脑梗死', '缺血性脑梗死'], icd: ['I63'], source: 'I63 脑梗死' },
  { terms: ['缺血性脑血管疾病'], icd: ['I63', 'I65', 'I66', 'I67', 'I69', 'G45', 'G46'], source: 'I63、I65–I67、I69 脑血管病；G45–G46 短暂性脑缺血发作和脑血管综合征' },
  { terms: ['缺血性心脑血管疾病'], icd: [...range('I', 20, 25), 'I63', 'I65', 'I66', 'I67', 'I69', 'G45', 'G46'], source: 'I20–I25 缺血性心脏病；I63、I65–I67、I69；G45–G46' },
  { terms: ['慢性动脉闭塞', '慢性动脉闭塞症'], icd: ['I70', 'I73', 'I74', 'I77'], source: 'I70 动脉粥样硬化；I73 其他周围血管疾病；I74 动脉栓塞和血栓形成；I77' },
  { terms: ['深静脉血栓'], icd: ['I80', 'I82'], source: 'I80 静脉炎和血栓性静脉炎（深静脉）；I82 其他静脉栓塞' },
  { terms: ['血栓性静脉炎'], icd: ['I80', 'T800'], source: 'I80 静脉炎和血栓性静脉炎；T80.0 输液后空气栓塞及 T80.1 输液后血管并发症' },
  // Chapter X 呼吸系统
  { terms: ['过敏性鼻炎'], icd: ['J30'], source: 'J30 血管舒缩性和变应性鼻炎' },
  { terms: ['窦炎', '鼻窦炎'], icd: ['J01', 'J32'], source: 'J01 急性鼻窦炎；J32 慢性鼻窦炎' },
  { terms: ['鼻息肉'], icd: ['J33'], source: 'J33 鼻息肉' },
  {
    terms: ['肺炎', '社区获得性肺炎', '医院获得性肺炎', '曲霉菌肺炎'],
    icd: [...range('J', 12, 18), 'J69', 'J95', 'B44'],
    source: 'J12–J18 肺炎；J69；J95 操作后呼吸性疾患（呼吸机相关肺炎）；B44 曲霉病',
  },
  { terms: ['下呼吸道感染'], icd: [...range('J', 12, 18), 'J20', 'J21', 'J22', 'J40', 'J41', 'J42', 'J44', 'J47'], source: 'J12–J18；J20–J22 其他急性下呼吸道感染；J40–J44；J47' },
  { terms: ['哮喘'], icd: ['J45', 'J46'], source: 'J45 哮喘；J46 哮喘持续状态' },
  { terms: ['支气管扩张'], icd: ['J47'], source: 'J47 支气管扩张症' },
  { terms: ['特发性肺纤维化', '间质性肺疾病'], icd: ['J84', 'J99', 'M348'], source: 'J84 其他间质性肺病；J99 系统性结缔组织疾病的肺部疾患；M34.8' },
  { terms: ['胸腹水', '胸腹腔积液'], icd: ['J90', 'J91', 'R18', 'C782', 'C786'], source: 'J90–J91 胸腔积液；R18 腹水；C78.2、C78.6 胸膜/腹膜继发恶性肿瘤' },
  // Chapter XI 消化系统
  { terms: ['反流性食管炎', '胃食管反流病'], icd: ['K21'], source: 'K21 胃-食管反流性疾病' },
  { terms: ['胃溃疡', '良性胃溃疡'], icd: ['K25'], source: 'K25 胃溃疡' },
  { terms: ['十二指肠溃疡'], icd: ['K26'], source: 'K26 十二指肠溃疡' },
  { terms: ['消化性溃疡', '应激性溃疡'], icd: ['K25', 'K26', 'K27', 'K28'], source: 'K25–K28 胃、十二指肠、消化性、胃空肠溃疡' },
  { terms: ['幽门螺杆菌'], icd: ['B968', 'K25', 'K26', 'K27', 'K28', 'K29', 'K30'], source: 'B96.8 其他特指细菌（幽门螺杆菌）；K25–K30 胃炎和溃疡' },
  { terms: ['胆汁反流性胃炎'], icd: ['K29'], source: 'K29 胃炎和十二指肠炎' },
  { terms: ['克罗恩病'], icd: ['K50'], source: 'K50 克罗恩病' },
  { terms: ['溃疡性结肠炎'], icd: ['K51'], source: 'K51 溃疡性结肠炎' },
  { terms: ['肠易激综合征'], icd: ['K58'], source: 'K58 肠易激综合征' },
  { terms: ['慢性特发性便秘'], icd: ['K590'], source: 'K59.0 便秘' },
  {
    terms: ['腹腔感染'],
    icd: ['K65', 'K35', 'K57', 'K61', 'K630', 'K750', 'K81', 'K830'],
    source: 'K65 腹膜炎；K35 急性阑尾炎；K57；K61 肛门直肠脓肿；K63.0；K75.0 肝脓肿；K81 胆囊炎；K83.0 胆管炎',
  },
  { terms: ['肝性脑病', '肝昏迷'], icd: ['K72', 'K704', 'K711', 'K729'], source: 'K72 肝衰竭（肝性脑病）；K70.4 酒精性肝衰竭；K71.1' },
  { terms: ['肝硬化'], icd: ['K74', 'K703', 'K717'], source: 'K74 肝纤维化和肝硬化；K70.3 酒精性肝硬化；K71.7' },
  { terms: ['脂肪肝'], icd: ['K760', 'K700'], source: 'K76.0 脂肪肝；K70.0 酒精性脂肪肝' },
  {
    terms: ['肝病', '胆汁淤积性肝病'],
    icd: ['K70', 'K71', 'K72', 'K73', 'K74', 'K75', 'K76', 'K77', 'B15', 'B16', 'B17', 'B18', 'B19', 'E840'],
    source: 'K70–K77 肝疾病；B15–B19 病毒性肝炎；E84.0（囊性纤维化）',
  },
  { terms: ['胆囊胆固醇结石', '胆结石'], icd: ['K80'], source: 'K80 胆石病' },
  { terms: ['急性胰腺炎'], icd: ['K85'], source: 'K85 急性胰腺炎' },
  { terms: ['慢性复发性胰腺炎'], icd: ['K86'], source: 'K86 其他胰腺疾病（K86.1 慢性胰腺炎）' },
  {
    terms: ['消化道严重出血', '消化道出血'],
    icd: ['K92', 'K25', 'K26', 'K27', 'K28', 'I85', 'K226'],
    source: 'K92.0–K92.2 呕血、黑便、胃肠出血；K25–K28 伴出血；I85 食管静脉曲张；K22.6',
  },
  { terms: ['出血的胃、十二指肠溃疡'], icd: ['K25', 'K26', 'K27', 'K28', 'K92'], source: 'K25–K28（.0/.2/.4/.6 伴出血）；K92' },
  // Chapter XII–XIII 皮肤、肌肉骨骼
  { terms: ['皮肤及皮肤软组织感染', '皮肤和软组织感染', '皮肤软组织感染'], icd: [...range('L', 0, 8), 'A46'], source: 'L00–L08 皮肤和皮下组织感染；A46 丹毒' },
  { terms: ['特应性皮炎'], icd: ['L20'], source: 'L20 特应性皮炎' },
  { terms: ['银屑病', '斑块状银屑病', '斑块型银屑病', '寻常型银屑病', '脓疱型银屑病'], icd: ['L40'], source: 'L40 银屑病' },
  { terms: ['荨麻疹'], icd: ['L50'], source: 'L50 荨麻疹' },
  { terms: ['面部血管纤维瘤'], icd: ['Q851', 'D23'], source: 'Q85.1 结节性硬化；D23 皮肤其他良性肿瘤' },
  { terms: ['类风湿关节炎'], icd: ['M05', 'M06'], source: 'M05 血清反应阳性类风湿性关节炎；M06 其他类风湿性关节炎' },
  { terms: ['银屑病关节炎'], icd: ['L405', 'M07'], source: 'L40.5 关节病性银屑病；M07' },
  { terms: ['幼年特发性关节炎'], icd: ['M08', 'M09'], source: 'M08 幼年型关节炎；M09' },
  { terms: ['痛风'], icd: ['M10'], source: 'M10 痛风' },
  { terms: ['骨关节炎', '膝骨关节炎'], icd: ['M15', 'M16', 'M17', 'M18', 'M19'], source: 'M15–M19 关节病（M17 膝关节病）' },
  { terms: ['系统性红斑狼疮', '狼疮肾炎'], icd: ['M32'], source: 'M32 系统性红斑狼疮（M32.1 伴器官受累）' },
  { terms: ['系统性硬化病'], icd: ['M34'], source: 'M34 系统性硬化症' },
  { terms: ['强直性脊柱炎', '中轴型脊柱关节炎', '中轴性脊柱关节炎'], icd: ['M45', 'M468', 'M469'], source: 'M45 强直性脊柱炎；M46.8–M46.9 其他炎性脊椎病' },
  { terms: ['骨质疏松', '骨质疏松症'], icd: ['M80', 'M81', 'M82'], source: 'M80–M82 骨质疏松' },
  // Chapter XIV 泌尿生殖
  { terms: ['C3肾小球病', '免疫球蛋白A肾病', 'IgA肾病', 'IgAN'], icd: range('N', 0, 8), source: 'N00–N08 肾小球疾病（IgA 肾病、C3 肾小球病按临床综合征编码 .8）' },
  { terms: ['急性肾损伤'], icd: ['N17'], source: 'N17 急性肾衰竭' },
  {
    terms: ['慢性肾脏病', 'CKD', '慢性肾功能衰竭', '肾性贫血', '肾性骨营养不良'],
    icd: ['N18', 'N19', 'I12', 'I13', 'N250', 'D638', 'Z49', 'Z992'],
    source: 'N18 慢性肾脏病；N19；I12–I13 高血压性肾病；N25.0 肾性骨营养不良；D63.8（慢性病贫血）；Z49 透析；Z99.2',
  },
  { terms: ['肾功能不全'], icd: ['N17', 'N18', 'N19', 'I12', 'I13', 'Z49', 'Z992'], source: 'N17–N19 肾衰竭；I12–I13；Z49、Z99.2 透析' },
  { terms: ['血液透析', '透析'], icd: ['Z49', 'Z992', 'N18', 'N19'], source: 'Z49 涉及透析的医疗照顾；Z99.2 依赖肾透析；N18–N19' },
  { terms: ['前列腺增生'], icd: ['N40'], source: 'N40 前列腺增生' },
  { terms: ['子宫内膜异位症'], icd: ['N80'], source: 'N80 子宫内膜异位症' },
  { terms: ['绝经后骨质疏松', '绝经后女性骨质疏松症'], icd: ['M80', 'M81'], source: 'M80.0、M81.0 绝经后骨质疏松' },
  { terms: ['川崎病'], icd: ['M303'], source: 'M30.3 皮肤黏膜淋巴结综合征[川崎病]' },
  { terms: ['化脓性汗腺炎'], icd: ['L732'], source: 'L73.2 化脓性汗腺炎' },
  { terms: ['接合菌'], icd: ['B46'], source: 'B46 接合菌病' },
  { terms: ['淀粉样变'], icd: ['E85'], source: 'E85 淀粉样变性' },
  { terms: ['星形细胞瘤', '胶质母细胞瘤'], icd: ['C71', 'D33', 'D43'], source: 'C71 脑恶性肿瘤；D33 脑良性肿瘤、D43 脑动态未定肿瘤（室管膜下巨细胞星形细胞瘤多为良性）' },
  { terms: ['肾血管平滑肌脂肪瘤'], icd: ['D300', 'Q851'], source: 'D30.0 肾良性肿瘤；Q85.1 结节性硬化' },
  { terms: ['先天性凝血因子Ⅶ(FⅦ)缺乏症', '凝血因子Ⅶ缺乏症'], icd: ['D682'], source: 'D68.2 其他凝血因子遗传性缺乏' },
  { terms: ['血小板无力症'], icd: ['D691'], source: 'D69.1 血小板质量缺陷' },
  { terms: ['肝功能不全'], icd: ['K70', 'K71', 'K72', 'K73', 'K74', 'K75', 'K76', 'K77'], source: 'K70–K77 肝疾病（K72 肝衰竭）' },
  { terms: ['肾脏替代治疗'], icd: ['N17', 'N18', 'N19', 'Z49', 'Z992'], source: 'N17–N19 肾衰竭；Z49、Z99.2 透析' },
  { terms: ['口服降糖药'], icd: ['E10', 'E11', 'E12', 'E13', 'E14'], source: 'E10–E14 糖尿病（正在使用降糖药者即糖尿病患者；推断，见 README）' },
  // Chapter XIX–XXI 损伤、移植、健康状况
  { terms: ['Ⅱ度烧伤', '烧伤'], icd: ['T2', 'T30', 'T31', 'T32'], source: 'T20–T32 烧伤和腐蚀伤（T2x.2 二度）' },
  { terms: ['洋地黄中毒'], icd: ['T460'], source: 'T46.0 强心苷类中毒' },
  { terms: ['器官移植', '实体器官移植', '肝脏或肾脏移植', '排异反应', '排斥反应'], icd: ['T86', 'Z94'], source: 'T86 移植器官和组织的衰竭和排斥；Z94 器官和组织移植状态' },
  { terms: ['造血干细胞移植', 'HSCT'], icd: ['T860', 'Z948', 'Z945', 'D898'], source: 'T86.0 骨髓移植排斥；Z94.8 其他移植状态（骨髓、干细胞）；D89.8' },
  { terms: ['辅助生殖技术', 'ART'], icd: ['Z31', 'N97'], source: 'Z31 生殖管理（辅助生殖）；N97 女性不孕症' },
  {
    terms: ['放化疗', '化疗', '高度致吐性化疗'],
    icd: ['Z510', 'Z511', 'Z512', ...MALIGNANT],
    source: 'Z51.0 放射治疗疗程；Z51.1 肿瘤化学治疗疗程；Z51.2；C00–C97（接受放化疗者的肿瘤诊断）',
    fallback: true,
  },
];

/**
 * Phrases that make an indication unjudgeable from diagnoses: alternatives that are not a
 * disease (抢救, 重症, 生育保险), prophylaxis of people without the disease (接触者的预防,
 * 紧急预防), drug-sensitivity or resistance evidence, surgical use. A clause holding one is a
 * reminder even when it also names a disease (「限抢救、重症或因肝硬化…」 allows non-cirrhotic
 * rescue patients).
 */
export const BLOCKERS: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  { pattern: /抢救、|抢救患者|抢救或/, why: '抢救患者不以诊断界定' },
  // 重症 as an alternative to a disease (「头孢菌素耐药或重症感染」「预防重症患者应激性溃疡出血」); as a
  // qualifier of a named disease (「流感重症高危人群及重症患者的抗流感病毒治疗」) it leaves the disease checkable.
  { pattern: /重症或|或重症|重症感染|预防重症患者/, why: '重症不以诊断界定' },
  { pattern: /生育保险/, why: '「或生育保险」是险种条件' },
  { pattern: /药敏试验|耐药阳性球菌|多重耐药|头孢菌素耐药/, why: '需药敏/耐药证据' },
  { pattern: /接触者|紧急预防|预防外科手术/, why: '预防用药，患者尚无该病诊断' },
  { pattern: /术中冲洗|示踪|手术过程中|手术后循环|术后疼痛/, why: '手术用药，不以诊断界定' },
  { pattern: /移植的诱导|排斥反应高危人群的诱导/, why: '移植诱导时尚无移植状态诊断' },
  { pattern: /因胰岛素抵抗无法使用葡萄糖/, why: '无法使用葡萄糖不以诊断界定' },
  { pattern: /因肾损伤或药物毒性/, why: '不能耐受两性霉素B不以诊断界定' },
  { pattern: /营养风险/, why: '营养风险筛查结果不在诊断中' },
];
