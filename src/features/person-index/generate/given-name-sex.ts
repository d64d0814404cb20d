/**
 * Which FEBRL given names are girls' names and which are used for either sex.
 *
 * FEBRL's records carry no sex, so this is a hand list (by the usual Australian usage of each
 * name), read only by derive-frequency-tables.ts. Every FEBRL given name not listed here is taken
 * as a boys' name. Names used for either sex get a sex drawn at random when generating.
 */

export const FEMALE_GIVEN_NAMES: ReadonlySet<string> = new Set(`
  aaliyah abbey abbie abby abigail abii adela adele adriana aikaterina aimee alaiyah alana aleesha aleisha alannah alessandra
  alessandria alessia alexa-rose alexandra alexia alia alice alicia alisa alisha alison alissa alivia
  aliza allegra alyssa alysha amalia amaya amber ambrosia amelia amelie amy anari anastasia andrea
  aneka angelica angelina angie anika anita anna annabel annabella annabelle annalise anneliese annika
  anthea april arabella asha ashlee ashleigh ashlie aurora ava ayla bella bailee belinda beth bethanie
  bethany bianca breana breanne breeanne bree breony brianna bridget brielle brigette brigitte briley
  briony brinley bronte brooke brooklyn brydee caitlin caitlyn callie caresse carla carly carmen cassandra
  cassidy catherine chantelle charlee charli charlize charlotte chelsea chelsie cheree chevonne
  cheyenne chloe christina claire claudia clodagh courtney crystal danielle daniella danika darcie
  dayna delaney demie destynii diamond domenique ebonie ebony eboni eleanor elana eleni eliza ella elizabeth
  elki elle ellen ellie elli elly ellorah ellouise eloise elise elysse emily emma erin esme esther eva
  evangelia faith felicity fiona freya gabriella gabrielle gemaley gemma genevieve georgia georgina
  gillian giorgia giuliana grace gracie hana hannah hanna harriet hattie hayley haylee heather helena
  holly hollie imogen india indiana indyana irene isabel isabella isabelle isobel jacinta jacqueline
  jacynta jade jaimee jamilla jaslyn jasmin jasmine jasmyn jayde jemima jemma jenna jessica jessie
  jinni joanna jordyn jorja josephine joselyn julia juliana kaela kailey kaitlin kaitlyn kalli kallie
  karissa karla karlee karli kate katelin katelyn katharine katherine kathleen katie kayla kaysey
  keahley keely keeley keelin keira kelsea kelsey kelsy kelsye keziah kiana kiandra kiara kiarnee
  kiera kierra kimberley kimberly kira kiria kirra kirrah koula kristen kristin krystin kyah kylee
  kylie kyra lacey laetitia laklynn lara larissa laura lauren layla leah lexie lia liana libby lilian
  lillian lillianna lilly lily livia louise lucinda lucy lushia lydia lynae macey mackenzi mackenzie
  macy madalyn maddison madeleine madeline madelyn madison maggie makayla makenzi makenzie maliah
  marianne marlee marleigh maria mary matilda mathilde maya meagan meg megan meggie melanie melinda melissa
  mhary mia micaela michaela michelle mikaela mikayla mikhayla mila millane millie miranda molly
  mollie monique montana montanna mya mystique nacoya naomi nasyah natalee natalia natalie natasha
  natassia neneh nell nellie neve niamh nicola nicole nikita nikki nemesia oakleigh olivia paige
  pakita paris pascale peta petreece phoebe pia polly portia prudence rachael rachel raquel rebecca
  rebekah reganne renai renee rhiannon roberta roisin rosa rosie ruby ryleh saara samantha samara
  sana sara sara-louise sarah sarsha sascha saskia savannah schkirra seanna serena shae shakira
  shakirah shana shanaye shandril shantal shelbey shelby shenae shona sian sidonie sienna simone
  skye sonja sophie stella stephanie summer sybella sylvie tabitha tahlia tahnee tahni takara
  takeisha talena taalia taliah talia talissa talyah tansy tanyshah tara tarnee tarnia tarshya tayah tayla
  taylah taylor-saige teagan teaha teegan tegan teileah tenille teneille teresa tess tia tiahana
  tiahnee tiana tiarna tiffany timara tommi-lee tori trinity tuscany tylah vanessa vendula vianca
  victoria willow xani xanthe yana yasmin ysobel zali zara zarlia zoe
`.trim().split(/\s+/));

export const EITHER_SEX_GIVEN_NAMES: ReadonlySet<string> = new Set(`
  alex andie arki ash ashley bailey bailley bayley casey charlie corie d'arcy dakota darcy desi drew
  eden elisha emerson emmerson harley jaime jamie jayme jazz jordan jory ka kai kasey ky lee marley matisse
  morgan peyton phoenix quinn riley robin ryley sam shai shannon taylor teal xepheren
`.trim().split(/\s+/));
