/**
 * Given names and the short forms, pet names and spellings that stand for them in English-language
 * records, written for Hearth (not copied from any list). One group a line: the formal name first,
 * then the names that can mean it. A name may sit in several groups ("Chris" is Christopher,
 * Christine and Christina); two names are nicknames of each other when they share a group.
 * Spelling variants of the formal name belong in its group too ("Kathryn" with "Catherine"), so a
 * worker is told "Kate is a short form of Catherine" rather than "sounds like".
 *
 * To grow the table, add a line here (and a test), or pass extra groups to `createMatcher`.
 */
export const NICKNAME_GROUPS = `
abigail abby abbie abi gail gayle
abraham abe bram
adam ade
adelaide addie adele della heidi
adrian adie
agatha aggie
agnes aggie nessa nessie
albert al bert bertie
alexander alex alec alick alasdair alistair alastair sandy xander lex zander sasha
alexandra alex alexa alexis lexi lexie sandra sandy sasha ali xandra
alfred al alf alfie fred freddie freddy
alice allie ally alys alicia
alison ali allie ally allison alyson
allan al alan allen alun
amanda mandy manda amy
amelia amy millie milly mia emilia
andrew andy drew andie
angela angie angel
angelina angie lina
ann anne anna annie nan nancy nanette hannah
anthony tony ant anton antony
antoinette toni netty
archibald archie baldie
arnold arnie
arthur art artie
augustine gus augie austin
augustus gus augie
barbara barb barbie babs bobbie
barnabas barney
bartholomew bart barty
beatrice bea bee trixie beattie
benedict ben benny
benjamin ben benji benjy benny
bernadette bernie detta
bernard bernie barney
bertram bert bertie
beverley bev beverly
bradley brad
brenda bren
brendan bren
bridget biddy bridie brigid bridgette bree
caleb cal
calvin cal
cameron cam
camilla milly cam
carl karl
caroline carol carrie caro carolyn carline lina
cassandra cass cassie sandra
catherine cathy cath kate katie katy kathy kath kay kit kitty cate cathie kathryn katherine kathrine cathryn katharine katrina trina kat
cecilia cece celia cissy sissy
charles charlie chas chuck chaz charley
charlotte charlie lottie lotte lotty char
christian chris kit christie
christina chris chrissy tina christie kristina
christine chris chrissie tina chrissy kristine christy
christopher chris kit topher kristopher christoffer
clarence clarry clare
clarissa clara clare
clifford cliff
cornelius con neil corny
constance connie
cynthia cindy cyndi
daniel dan danny dannie
danielle dani elle
david dave davy davie dai
deborah deb debbie debra debby
denise dee
dennis den denny
diana di dee diane dianne
dominic dom nick
dominique dom dominica
donald don donnie donny
dorothy dot dottie dolly dora thea
douglas doug dougie
edmund ed eddie ned ted edmond
edward ed eddie ned ted teddy ward
edwin ed eddie ned win
eleanor ellie nora nell nellie elle leonora elinor elenor lena
elijah eli lije
elizabeth liz lizzie lizzy libby beth betty bette bess bessie betsy eliza lisa liza elsa elsie lilibet bettina ellie elisabeth elisa lise
ellen nell nellie ellie
emily em emmy millie milly
emma em emmy
ernest ernie
esther essie hetty
eugene gene
eugenia gena genie
evelyn eve evie lyn
florence flo flossie florrie
frances fran fanny frankie franny francie
francis frank frankie fran
frederick fred freddie freddy fritz rick ricky
gabriel gabe gabby
gabrielle gabby gabi ella brie
geoffrey geoff jeff jeffrey jeffery
george georgie geordie
georgina georgie gina georgia
gerald gerry jerry ged
geraldine gerry jerry dina
gertrude gertie trudy trudie
gilbert gil bert
gordon gordy gordie
gregory greg gregg
gwendolyn gwen wendy
hannah anna annie nan
harold harry hal
harriet hattie hetty harry
helen nell nellie lena ellie helena
henrietta etta hetty henny hettie
henry harry hal hank hen
herbert herb bert herbie
howard howie
hubert hugh bert
hugh hughie hugo
isaac ike zac
isabel izzy bella belle isabelle isobel isabella ibby sibyl
jacob jake jack jakob
jacqueline jackie jacqui jacky
james jim jimmy jimmie jamie jem jay jas
jane janie jenny jennie jan jayne
janet jan jenny netta
jasmine jas jazz jazzy yasmin
jean jeanie jeannie jeanette
jemima jem mima
jennifer jen jenny jenni jennie jenna
jeremy jerry jez
jerome jerry
jessica jess jessie jessa
joanna jo joanne joan jojo
joanne jo joan jojo joanna
john jack johnny jonny jon jock jackie jonno
jonathan jon jonny john nathan jonno
joseph joe joey jo jos jody
josephine jo josie joey fina jody
joshua josh
judith judy jude
julia jules julie
julian jules
juliana julie jules
june junie
katherine kate kathy katie kath kay kit kitty cathy catherine kathryn katharine
kenneth ken kenny
kimberly kim kimmy kimberley
lawrence larry laurie lauren laurence loz
leonard len lenny leo leon
leslie les lesley
lillian lily lil lilly lillie
louis lou louie lewis luis
louisa lou lulu louise
louise lou lulu louisa
lucinda lucy cindy
lucy lu lucie luce
luke luc lucas
madeline maddie maddy madeleine madelyn madison
margaret maggie mags madge marge margie meg peggy peg greta rita daisy maisie marjorie margot
marjorie marge margie madge
martha marty mattie patsy
martin marty
mary mae may molly polly mamie maria marie mollie
matilda tilly tillie maud matty
matthew matt matty mat
maximilian max
maxine max
maxwell max
melanie mel
melissa mel lissa missy
michael mike mikey mick micky mickey mitch mitchell
michelle shell shelly michele
mildred millie milly
miriam mimi mim
nathaniel nat nate nathan
nicholas nick nicky nico nic
nicola nicky nicki nic nikki nicole
norman norm
oliver ollie olly noll
olivia liv livvy livia ollie
pamela pam
patricia pat patty tricia trish patsy trisha
patrick pat paddy paddie rick packy
paul paulie
penelope penny pen
peter pete petey
philip phil pip flip phillip
phoebe phebe
priscilla cilla prissy
prudence prue pru
rachel rach rae shelly
raymond ray
rebecca becky becca bec reba beckie
reginald reg reggie rex
richard rich rick ricky dick dickie rich richie
robert rob bob bobby robbie bert rab robin
roberta bobbie robbie bertie
rodney rod
roger rodge
ronald ron ronnie
rosalind ros roz rosa
rosemary rose rosie romy
ruth ruthie
samantha sam sammy sammie
samuel sam sammy
sarah sally sadie sara sal sarai
sebastian seb bas bastian
sharon shaz shazza
solomon sol
sophia sophie sophy sofia
stanley stan
stephanie steph steffi stevie
stephen steve stevie steven stephan
susan sue susie suzy suzanne
suzanne sue suzie suzy susan
sylvester sly syl
sylvia syl sylvie
terence terry tel
thaddeus tad thad
theodore ted teddy theo
theresa terry tess tessa tessie teresa tracey tracy
thomas tom tommy thom
timothy tim timmy
tobias toby
valentine val
valerie val
vanessa nessa ness vanny
veronica ronnie vera nicky
victor vic
victoria vicky vickie tori vic queenie
vincent vince vinnie vinny
virginia ginny ginger
walter walt wally
wilfred wilf fred freddie
wilhelmina mina willa minnie billie
william bill billy will willy willie liam wm
winifred winnie freda win
zachary zach zack zak zac
zoe zoey zoë
`;

/**
 * A second, smaller table: names that are simply spelt two ways in Australian, British and Irish
 * records. Kept apart so the formal-name table above stays readable.
 */
export const SPELLING_GROUPS = `
aidan aiden ayden aden
alan allan allen alun
ashley ashlee ashleigh
ayesha aisha aysha
bryan brian brien
caitlin kaitlyn katelyn caitlyn kaitlin
callum calum
catriona katrina
chloe cloe khloe
claire clare
connor conor
corey cory
darcy darcey darci
dylan dillon
eilidh ailie
elliot elliott eliot
erin aryn
evie evey
finn fin
freya freyja
grace gracie
hailey haley hayley haylee
harvey harvie
isla islay
jackson jaxon jaxson
jade jayde
jaden jayden jaiden
jordan jordon
kayla kaila
kyle kile
layla leila laila lela
leah lea lia
lachlan lachie lockie
liam lyam
mackenzie mckenzie kenzie
macy macey
mason maison
matilda mathilda
maya mya maia
mohammed muhammad mohammad mohamed muhammed
neve niamh
nicole nichole
paige page
peyton payton
phoebe pheobe
rhys reece reese
riley reilly rylee
ryan rian
scarlett scarlet
sean shaun shawn
sienna siena
skye sky
sophie sophy
stephen steven
teagan tegan
tyler tylor
zara zarah
`;
